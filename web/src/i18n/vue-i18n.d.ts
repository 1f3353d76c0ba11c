import type { MessageSchema } from './en';

// Types `t('…')` keys in every component (useI18n() and $t) against the English schema.
declare module 'vue-i18n' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}
