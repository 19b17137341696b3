/**
 * The light half of the GitHub client: API hosts and finding a token. Nothing here loads Octokit
 * (or execa, until `gh auth token` is asked), so the audit path can use it for free.
 */
/** API base for a GitHub web URL: api.github.com for github.com, `<url>/api/v3` for Enterprise Server or a stand-in. */
export function apiBase(githubUrl: string | undefined): string {
  if (!githubUrl) return 'https://api.github.com';
  const url = githubUrl.replace(/\/+$/, '');
  if (/^https?:\/\/(?:www\.)?github\.com$/i.test(url)) return 'https://api.github.com';
  return url.endsWith('/api/v3') ? url : `${url}/api/v3`;
}

/** The API host (with a port when there is one) a pin cache entry is keyed by: `api.github.com`, `ghe.example.com`, `127.0.0.1:PORT`. */
export function apiHost(githubUrl: string | undefined): string {
  return new URL(apiBase(githubUrl)).host.toLowerCase();
}

/** The API host a client talks to. */
export function clientHost(client: { request: { endpoint: { DEFAULTS: { baseUrl: string } } } }): string {
  return new URL(client.request.endpoint.DEFAULTS.baseUrl).host.toLowerCase();
}

/** --token, else GH_TOKEN, else GITHUB_TOKEN, else what `gh auth token` prints (if gh is installed). */
export async function findToken(explicit: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const direct = explicit ?? env.GH_TOKEN ?? env.GITHUB_TOKEN;
  if (direct) return direct;
  const { execa } = await import('execa');
  const gh = await execa('gh', ['auth', 'token'], { reject: false, stdin: 'ignore', timeout: 5_000 });
  const token = gh.exitCode === 0 ? gh.stdout.trim() : '';
  return token || undefined;
}
