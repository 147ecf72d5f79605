import { humanize } from '../forms/json-schema.ts';
import { CopyButton } from './CopyButton.tsx';
import type { ChannelConnection } from './channel-fields.ts';

interface EndpointListProps {
  endpoints: ChannelConnection['endpoints'];
  /** The platform's name, e.g. Chatwoot. */
  platform: string;
}

/**
 * The URLs the operator pastes into the platform, in full: the server gives paths, the platform
 * needs this editor's own address in front (the server is reached at the same origin).
 */
export function EndpointList({ endpoints, platform }: EndpointListProps) {
  if (endpoints.length === 0) return null;
  return (
    <section className="cf-channel-section">
      <h3 className="cf-channel-section__title">URLs to paste into {platform}</h3>
      <ul className="cf-channel-endpoints">
        {endpoints.map((endpoint) => {
          const url = `${window.location.origin}${endpoint.url}`;
          const params = [...endpoint.url.matchAll(/\/:([A-Za-z]\w*)/g)].map((match) => match[1] ?? '');
          return (
            <li key={endpoint.url} className="cf-channel-endpoint" data-testid="channel-endpoint">
              <p className="cf-channel-endpoint__description">{endpoint.description}</p>
              <div className="cf-channel-endpoint__row">
                <span className="cf-channel-endpoint__methods">{endpoint.methods.join(' ')}</span>
                <code className="cf-channel-endpoint__url" data-testid="channel-endpoint-url">
                  {url}
                </code>
                <CopyButton text={url} label={`Copy the URL: ${endpoint.description}`} />
              </div>
              {params.map((param) => (
                <p key={param} className="field__help">
                  Put the {humanize(param).toLowerCase()} in place of <code>:{param}</code>.
                </p>
              ))}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
