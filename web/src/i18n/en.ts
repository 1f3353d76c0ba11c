import type { ErrorCode, Role } from '@inbox/shared';

/**
 * English messages. This object's shape is the message schema: zh-CN must have exactly the same keys
 * (checked by the compiler and by i18n.spec.ts). Avoid the characters `@ { } |` in plain text; they
 * are vue-i18n syntax (write `{'@'}` for a literal @).
 */
const errors: Record<ErrorCode, string> = {
  'validation/failed': 'Some fields are not valid. Please check them and try again.',
  'http/bad_request': 'The request was not understood.',
  'http/not_found': 'Not found.',
  'http/method_not_allowed': 'This action is not allowed here.',
  'http/payload_too_large': 'The data sent is too large.',
  'http/unsupported_media_type': 'This content type is not supported.',
  'http/internal': 'Something went wrong on the server. Please try again.',
  'http/unavailable': 'The server cannot be reached right now. Please try again shortly.',
  'auth/unauthenticated': 'Your session has ended. Please sign in again.',
  'auth/invalid_credentials': 'Wrong email or password.',
  'auth/totp_required': 'Enter the code from your authenticator app, or a recovery code.',
  'auth/totp_invalid': 'That verification code is not valid.',
  'auth/throttled': 'Too many attempts. Please wait and try again.',
  'auth/forbidden': 'You do not have permission to do this.',
  'auth/origin_forbidden': 'This request came from a page that is not allowed.',
  'auth/user_disabled': 'This user has been disabled. Contact an administrator.',
  'auth/weak_password': 'The password is too weak.',
  'users/email_taken': 'A user with this email already exists.',
  'users/not_found': 'User not found.',
  'accounts/not_found': 'Official Account not found.',
  'accounts/app_id_taken': 'This AppID is already linked.',
  'conversations/not_found': 'Conversation not found.',
  'messages/not_found': 'Message not found.',
  'wechat/bad_signature': 'The WeChat signature is not valid.',
  'wechat/appid_mismatch': 'The message belongs to a different AppID.',
  'wechat/bad_padding': 'The encrypted message has invalid padding.',
  'wechat/bad_length': 'The encrypted message has an invalid length.',
  'wechat/bad_key': 'The EncodingAESKey is not valid.',
  'wechat/malformed_xml': 'The XML from WeChat is malformed.',
  'wechat/doctype_forbidden': 'XML with a DOCTYPE is not accepted.',
  'wechat/body_too_large': 'The message from WeChat is too large.',
  'wechat/unknown_account': 'Unknown Official Account.',
  'wechat/account_disabled': 'This Official Account is disabled.',
  'wechat/window_closed': 'The 48-hour reply window has closed. You can reply again after the customer writes.',
  'wechat/quota_exhausted': 'All 5 replies allowed since the customer’s last message have been used.',
  'wechat/media_too_large': 'The file is too large for WeChat.',
  'wechat/media_type': 'WeChat does not accept this file type.',
  'db/unavailable': 'The database is unavailable. Please try again shortly.',
};

const roles: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  supervisor: 'Supervisor',
  agent: 'Agent',
};

const en = {
  app: {
    name: 'WeChat Inbox',
    loading: 'Loading…',
  },
  language: {
    label: 'Language',
    zhCN: '中文',
    en: 'English',
  },
  roles,
  login: {
    title: 'Sign in',
    subtitle: 'One inbox for all your Official Accounts',
    email: 'Email',
    password: 'Password',
    totp: 'Verification code',
    totpHint: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.',
    submit: 'Sign in',
    verify: 'Verify and sign in',
    emailRequired: 'Please enter your email.',
    passwordRequired: 'Please enter your password.',
    totpRequired: 'Please enter the verification code.',
    retryAfter: 'Try again in {seconds} seconds.',
  },
  header: {
    currentUser: 'Signed-in user',
    logout: 'Sign out',
  },
  inbox: {
    navigation: 'Inbox views',
    views: 'Views',
    mine: 'Mine',
    unassigned: 'Unassigned',
    all: 'All',
    byStatus: 'Status',
    status: {
      open: 'Open',
      pending: 'Pending',
      snoozed: 'Snoozed',
      resolved: 'Resolved',
    },
    conversations: 'Conversations',
    emptyList: 'No conversations here yet.',
    thread: 'Conversation',
    selectConversation: 'Select a conversation to see its messages.',
  },
  errors,
};

export type MessageSchema = typeof en;
export default en;
