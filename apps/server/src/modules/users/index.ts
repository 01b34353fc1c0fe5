export { createProfileDirectory, type ProfileDirectory } from './profile-directory.ts';
export { createUserRepo } from './repo.ts';
export { createUserService, type UserService } from './service.ts';
export { statusFieldOf } from './stored-status.ts';
