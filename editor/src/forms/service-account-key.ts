/**
 * The JSON key file Google gave, as pasted: an object with its `client_email` and `private_key`
 * left for the server to check (it names the field that is wrong). Throws a message in words.
 */
export function parseServiceAccountKey(text: string): { client_email: string; private_key: string } {
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch {
    throw new Error('The service-account key is not valid JSON: paste the whole file Google gave you.');
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    throw new Error('The service-account key must be a JSON object.');
  }
  return { client_email: '', private_key: '', ...key };
}
