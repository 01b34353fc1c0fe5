import { attempt } from '../../lib/attempt.ts';
import { adoptProfile, gopher } from '../../lib/session.ts';
import { PictureSetting } from '../attachments/picture-setting.tsx';

/** The profile picture on the account page. Others see the change live. */
export function ProfilePicture(props: {
  displayName: string;
  avatarKey: string | null;
  onChanged: (text: string) => void;
}) {
  return (
    <PictureSetting
      name={props.displayName}
      avatarKey={props.avatarKey}
      label="Profile picture"
      hint="Everyone you talk with sees it."
      onSave={(attachmentId) =>
        attempt(async () => adoptProfile(await gopher.api.users.setAvatar.mutate({ attachmentId })))
      }
      onRemove={() => attempt(async () => adoptProfile(await gopher.api.users.removeAvatar.mutate()))}
      onChanged={props.onChanged}
    />
  );
}
