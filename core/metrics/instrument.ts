/**
 * Decorators that count operations for the metrics without the protocols knowing: the
 * authenticator counts successful logins, the mail store counts stored messages (LMTP and
 * APPEND both end in UserMailStore.append). Everything else passes through untouched.
 */
import type { Authenticator } from '../auth/types.ts';
import type { MailStoreProvider, UserMailStore } from '../storage/mail-store.ts';
import type { ServerMetrics } from './registry.ts';

export function instrumentAuthenticator(auth: Authenticator, metrics: ServerMetrics): Authenticator {
  return new Proxy(auth, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'verify' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: Parameters<Authenticator['verify']>) => {
        const r = await (v as Authenticator['verify']).apply(target, args);
        if (r.ok) metrics.logins.inc();
        return r;
      };
    },
  });
}

function instrumentUserStore(store: UserMailStore, metrics: ServerMetrics): UserMailStore {
  return new Proxy(store, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (prop !== 'append' || typeof v !== 'function') return v;
      return async (...args: Parameters<UserMailStore['append']>) => {
        const r = await (v as UserMailStore['append']).apply(target, args);
        metrics.deliveries.inc();
        return r;
      };
    },
  });
}

export function instrumentMailStore(provider: MailStoreProvider, metrics: ServerMetrics): MailStoreProvider {
  return new Proxy(provider, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (prop !== 'openUser' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: Parameters<MailStoreProvider['openUser']>) =>
        instrumentUserStore(await (v as MailStoreProvider['openUser']).apply(target, args), metrics);
    },
  });
}
