import type { ErrorCode, Role } from '@inbox/shared';
import type { MessageSchema } from './en';

/** Simplified Chinese messages; same keys as en.ts (the compiler and i18n.spec.ts check it). */
const errors: Record<ErrorCode, string> = {
  'validation/failed': '部分字段无效，请检查后重试。',
  'http/bad_request': '请求无法识别。',
  'http/not_found': '未找到。',
  'http/method_not_allowed': '此处不允许该操作。',
  'http/payload_too_large': '发送的数据过大。',
  'http/unsupported_media_type': '不支持该内容类型。',
  'http/internal': '服务器出错了，请重试。',
  'http/unavailable': '暂时无法连接服务器，请稍后重试。',
  'auth/unauthenticated': '登录已失效，请重新登录。',
  'auth/invalid_credentials': '邮箱或密码错误。',
  'auth/totp_required': '请输入身份验证器应用中的验证码，或一个恢复码。',
  'auth/totp_invalid': '验证码无效。',
  'auth/throttled': '尝试次数过多，请稍后再试。',
  'auth/forbidden': '你没有执行此操作的权限。',
  'auth/origin_forbidden': '该请求来自不被允许的页面。',
  'auth/user_disabled': '该用户已被停用，请联系管理员。',
  'auth/weak_password': '密码强度不足。',
  'users/email_taken': '该邮箱已被其他用户使用。',
  'users/not_found': '用户不存在。',
  'accounts/not_found': '公众号不存在。',
  'accounts/app_id_taken': '该 AppID 已被接入。',
  'conversations/not_found': '会话不存在。',
  'messages/not_found': '消息不存在。',
  'wechat/bad_signature': '微信签名无效。',
  'wechat/appid_mismatch': '消息属于另一个 AppID。',
  'wechat/bad_padding': '加密消息的填充无效。',
  'wechat/bad_length': '加密消息的长度无效。',
  'wechat/bad_key': 'EncodingAESKey 无效。',
  'wechat/malformed_xml': '微信发送的 XML 格式错误。',
  'wechat/doctype_forbidden': '不接受包含 DOCTYPE 的 XML。',
  'wechat/body_too_large': '微信发送的消息过大。',
  'wechat/unknown_account': '未知的公众号。',
  'wechat/account_disabled': '该公众号已停用。',
  'wechat/window_closed': '48 小时回复窗口已关闭，需等客户再次发消息后才能回复。',
  'wechat/quota_exhausted': '自客户最后一条消息以来的 5 条回复额度已用完。',
  'wechat/media_too_large': '文件超出微信的大小限制。',
  'wechat/media_type': '微信不支持该文件类型。',
  'db/unavailable': '数据库暂不可用，请稍后重试。',
};

const roles: Record<Role, string> = {
  admin: '管理员',
  manager: '经理',
  supervisor: '主管',
  agent: '客服',
};

const zhCN: MessageSchema = {
  app: {
    name: '微信客服收件箱',
    loading: '加载中…',
  },
  language: {
    label: '语言',
    zhCN: '中文',
    en: 'English',
  },
  roles,
  login: {
    title: '登录',
    subtitle: '一个收件箱，管理所有公众号',
    email: '邮箱',
    password: '密码',
    totp: '验证码',
    totpHint: '请输入身份验证器应用中的 6 位验证码，或一个恢复码。',
    submit: '登录',
    verify: '验证并登录',
    emailRequired: '请输入邮箱。',
    passwordRequired: '请输入密码。',
    totpRequired: '请输入验证码。',
    retryAfter: '请在 {seconds} 秒后重试。',
  },
  header: {
    currentUser: '当前用户',
    logout: '退出登录',
  },
  inbox: {
    navigation: '收件箱视图',
    views: '视图',
    mine: '我的',
    unassigned: '未分配',
    all: '全部',
    byStatus: '状态',
    status: {
      open: '进行中',
      pending: '待处理',
      snoozed: '已暂缓',
      resolved: '已解决',
    },
    conversations: '会话',
    emptyList: '这里还没有会话。',
    thread: '会话',
    selectConversation: '选择一个会话以查看消息。',
  },
  errors,
};

export default zhCN;
