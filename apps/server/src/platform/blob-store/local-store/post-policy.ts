import { S3Error } from './s3-error.ts';

/** S3's limit on a POST policy. */
const MAX_POLICY_BYTES = 20 * 1024;
const MAX_CONDITIONS = 64;
/** Fields a policy does not name: the policy and its signature (and the file, which is not a field). */
const UNNAMED_FIELDS = new Set(['policy', 'x-amz-signature', 'file']);

/** How large the uploaded file may be, as the policy says. */
export interface UploadSizeRange {
  minBytes: number;
  maxBytes: number;
}

const invalid = (message: string) => new S3Error('InvalidPolicyDocument', message);
const refused = (message: string) => new S3Error('AccessDenied', `Invalid according to Policy: ${message}`);

function decodePolicy(policyBase64: string): { expiration: unknown; conditions: unknown } {
  if (policyBase64.length > Math.ceil(MAX_POLICY_BYTES / 3) * 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(policyBase64)) {
    throw invalid('The policy is not base64 of at most 20 KB.');
  }
  try {
    const policy: unknown = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
    if (typeof policy === 'object' && policy !== null && !Array.isArray(policy)) {
      return policy as { expiration: unknown; conditions: unknown };
    }
  } catch {
    // Answered below, as any policy that is not an object.
  }
  throw invalid('The policy is not a JSON object.');
}

/**
 * Checks a browser upload's form against its policy, as S3 does: not
 * expired, every condition kept (exact key, exact type, the bucket), and
 * every field the form sends named by a condition, so none can be added.
 * `fields` by lower-case name (S3's field names are case-insensitive); the
 * policy's signature is checked apart (`verifyPolicySignature`).
 * Returns the file's size range (within `maxBytes`, the store's own bound).
 */
export function checkPolicy(
  policyBase64: string,
  fields: ReadonlyMap<string, string>,
  context: { bucket: string; now: number; maxBytes: number },
): UploadSizeRange {
  const policy = decodePolicy(policyBase64);
  const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : Number.NaN;
  if (!Number.isFinite(expiration)) throw invalid('The policy has no valid expiration.');
  if (context.now >= expiration) throw refused('Policy expired.');
  const conditions = policy.conditions;
  if (!Array.isArray(conditions) || conditions.length > MAX_CONDITIONS) {
    throw invalid('The policy has no list of conditions.');
  }

  // The bucket is where the form is posted, whatever a field says.
  const formBucket = fields.get('bucket');
  if (formBucket !== undefined && formBucket !== context.bucket) throw refused('Policy Condition failed.');
  const fieldValue = (name: string) => (name === 'bucket' ? context.bucket : (fields.get(name) ?? ''));
  const named = new Set<string>();
  const range: UploadSizeRange = { minBytes: 0, maxBytes: context.maxBytes };

  for (const condition of conditions as unknown[]) {
    if (Array.isArray(condition)) {
      const [operator, first, second] = condition as unknown[];
      if (condition.length !== 3 || typeof operator !== 'string') throw invalid('A condition is malformed.');
      if (operator.toLowerCase() === 'content-length-range') {
        if (
          !Number.isSafeInteger(first) ||
          !Number.isSafeInteger(second) ||
          (first as number) < 0 ||
          (first as number) > (second as number)
        ) {
          throw invalid('content-length-range is malformed.');
        }
        range.minBytes = Math.max(range.minBytes, first as number);
        range.maxBytes = Math.min(range.maxBytes, second as number);
        continue;
      }
      const match = operator.toLowerCase();
      if (
        (match !== 'eq' && match !== 'starts-with') ||
        typeof first !== 'string' ||
        !first.startsWith('$') ||
        typeof second !== 'string'
      ) {
        throw invalid('A condition is malformed.');
      }
      const name = first.slice(1).toLowerCase();
      const value = fieldValue(name);
      if (match === 'eq' ? value !== second : !value.startsWith(second)) {
        throw refused('Policy Condition failed.');
      }
      named.add(name);
    } else if (typeof condition === 'object' && condition !== null) {
      const entries = Object.entries(condition);
      const [entry] = entries;
      if (entries.length !== 1 || !entry || typeof entry[1] !== 'string') throw invalid('A condition is malformed.');
      const name = entry[0].toLowerCase();
      if (fieldValue(name) !== entry[1]) throw refused('Policy Condition failed.');
      named.add(name);
    } else {
      throw invalid('A condition is malformed.');
    }
  }

  for (const name of fields.keys()) {
    if (!UNNAMED_FIELDS.has(name) && !name.startsWith('x-ignore-') && !named.has(name)) {
      throw refused('Extra input fields.');
    }
  }
  return range;
}
