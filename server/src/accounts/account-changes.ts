import { Injectable } from '@nestjs/common';

/** In-process notice that an account's configuration changed, so caches of it are dropped at once. */
@Injectable()
export class AccountChanges {
  private readonly listeners = new Set<(accountId: string) => void>();

  subscribe(listener: (accountId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(accountId: string): void {
    for (const l of this.listeners) l(accountId);
  }
}
