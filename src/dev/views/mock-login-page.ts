import type { MockIdentity } from '../mock-identities.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

export interface LoginPageModel {
  title: string;
  clientId: string;
  /** Path of the interaction; the forms post to `<path>/login` and `<path>/fail`. */
  interactionPath: string;
  identities: readonly MockIdentity[];
  /** The dialect's failures, a user's cancel aside. */
  dialectReasons: readonly string[];
  /** The dialect's reason for the user's cancel, sent by the page's "Afbryd" button (as MitID's own page has one); none if the dialect has none. */
  cancelReason?: string | undefined;
  oauthErrors: readonly string[];
  /** What the login request asked of the upstream beside the identity: `prompt`, `max_age`, the level. */
  asked: readonly string[];
  /** The CSP nonce of the response, where the host app sets a nonce-based CSP (the mocks inside Portvagt). */
  nonce?: string | undefined;
}

const DETAIL_CLAIMS = ['cpr', 'cvr', 'company_name', 'rid', 'email'];

/**
 * Self-contained, so the page looks the same on a mock's own port and under /mock/<id> in Portvagt;
 * colours meet WCAG AA and the focus ring is always visible.
 */
const STYLE = `
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; overflow-wrap: anywhere; }
.banner { background: #4a1d6b; color: #fff; padding: .75rem 1rem; font-weight: 600; }
main { max-width: 44rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.25; }
ul { list-style: none; padding: 0; display: grid; gap: .75rem; }
li { border: 1px solid #767676; border-radius: 4px; padding: .75rem; }
button, select, input { font: inherit; }
button { background: #4a1d6b; color: #fff; border: 2px solid #4a1d6b; border-radius: 4px; padding: .5rem 1rem; min-height: 2.75rem; cursor: pointer; }
.details { display: block; color: #4d4d4d; font-size: .875rem; margin-top: .25rem; }
label { display: block; font-weight: 600; margin-top: 1rem; }
select, input { display: block; width: 100%; max-width: 24rem; min-height: 2.75rem; padding: .25rem .5rem; border: 2px solid #767676; border-radius: 4px; box-sizing: border-box; }
.hint { color: #4d4d4d; font-size: .875rem; margin: 0; }
.actions { margin-top: 1rem; }
.secondary { background: #fff; color: #4a1d6b; }
:focus-visible { outline: 3px solid #c45500; outline-offset: 2px; }
`;

/** The page head; the style only where the caller knows the CSP nonce or no CSP applies (`nonce` undefined). */
function head(title: string, style: { nonce: string | undefined } | undefined): string {
  const nonceAttribute = style?.nonce ? ` nonce="${escapeHtml(style.nonce)}"` : '';
  const styleElement = style ? `<style${nonceAttribute}>${STYLE}</style>` : '';
  return `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>${styleElement}</head>`;
}

function identityItem({ sub, acr, claims }: MockIdentity, index: number): string {
  const details = DETAIL_CLAIMS.filter((claim) => claims[claim] !== undefined)
    .map((claim) => `${claim}: ${claims[claim]}`)
    .concat(`sub: ${sub}`, `acr: ${acr}`)
    .join(', ');
  return `<li><button type="submit" name="identity" value="${escapeHtml(sub)}" data-identity="${escapeHtml(sub)}" aria-describedby="identity-${index}">`
    + `${escapeHtml(claims.name ?? sub)}</button><span class="details" id="identity-${index}">${escapeHtml(details)}</span></li>`;
}

const options = (values: readonly string[]) =>
  values.map((value) => `<option value="${escapeHtml(value)}">${escapeHtml(value)}</option>`).join('');

/** The mock upstream's only page: pick a test identity, or make the upstream answer with an error. */
export function renderLoginPage(model: LoginPageModel): string {
  const title = escapeHtml(model.title);
  const path = escapeHtml(model.interactionPath);
  return `<!doctype html>
<html lang="en">
${head(title, { nonce: model.nonce })}
<body>
<div class="banner" role="note">Test identity provider – not a real login</div>
<main>
<h1>${title}</h1>
<p>Login for client <code>${escapeHtml(model.clientId)}</code>. Every identity below is invented.</p>
<p class="asked">The request asks for: ${model.asked.length ? model.asked.map((a) => `<code>${escapeHtml(a)}</code>`).join(', ') : 'nothing beyond a login'}.</p>
<h2 id="login-heading">Log in as</h2>
<form method="post" action="${path}/login" name="login" aria-labelledby="login-heading">
<label for="session_age">When the user authenticated</label>
<p class="hint" id="session_age-hint">An earlier time stands for a broker that reuses its own session instead of asking again.</p>
<select id="session_age" name="session_age" aria-describedby="session_age-hint"><option value="0">Now</option><option value="600">10 minutes ago</option><option value="7200">2 hours ago</option></select>
<ul>
${model.identities.map(identityItem).join('\n')}
</ul>
</form>
${model.cancelReason === undefined ? '' : `<form method="post" action="${path}/fail" name="cancel" class="actions">
<button type="submit" name="reason" value="${escapeHtml(model.cancelReason)}" class="secondary" lang="da" data-cancel>Afbryd</button>
</form>`}
<h2 id="fail-heading">Fail instead</h2>
<form method="post" action="${path}/fail" name="fail" aria-labelledby="fail-heading">
<label for="reason">Reason</label>
<select id="reason" name="reason">
<optgroup label="Dialect reasons">${options(model.dialectReasons)}</optgroup>
<optgroup label="Plain OAuth errors">${options(model.oauthErrors)}</optgroup>
</select>
<label for="error_description">error_description (optional)</label>
<p class="hint" id="error_description-hint">Free text the upstream adds; Portvagt only logs it.</p>
<input type="text" id="error_description" name="error_description" aria-describedby="error_description-hint">
<div class="actions"><button type="submit" name="fail" value="fail">Fail</button></div>
</form>
</main>
</body>
</html>
`;
}

/** A short message; unstyled, so it never trips a host's CSP. */
export function renderMessagePage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
${head(escapeHtml(title), undefined)}
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body>
</html>
`;
}
