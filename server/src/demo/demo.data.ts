import type { AccountMode, Role, SandboxEventRequest, SandboxMessageRequest } from '@inbox/shared';

/** What `DEMO=1` creates on first start. The passwords are public (README): the demo is for trying, not for use. */
export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role; password: string }> = [
  { email: 'agent1@demo.example.com', name: '陈静 Chen Jing', role: 'agent', password: 'demo-agent-1' },
  { email: 'agent2@demo.example.com', name: 'Oliver Wang', role: 'agent', password: 'demo-agent-2' },
  { email: 'supervisor@demo.example.com', name: '赵敏 Zhao Min', role: 'supervisor', password: 'demo-supervisor' },
];

export type DemoAction = { message: SandboxMessageRequest } | { event: SandboxEventRequest };

export interface DemoCustomer {
  displayName: string;
  actions: DemoAction[];
  /** An agent's answer (index into DEMO_USERS) sent through the real outbound path. */
  reply?: { agent: number; text: string };
}

export interface DemoAccount {
  name: string;
  mode: AccountMode;
  customers: DemoCustomer[];
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    name: '晨光咖啡 Morning Coffee',
    mode: 'plaintext',
    customers: [
      {
        displayName: '王芳',
        actions: [
          { event: { event: 'subscribe', eventKey: 'store_entrance' } },
          { message: { type: 'text', text: '你好，请问今天营业到几点？' } },
        ],
        reply: { agent: 0, text: '您好！我们今天营业到晚上九点，欢迎光临 ☕' },
      },
      {
        displayName: 'Lucas Zhang',
        actions: [
          { message: { type: 'text', text: 'Hi, do you have oat milk lattes?' } },
          { message: { type: 'image' } },
        ],
      },
    ],
  },
  {
    name: '书香书店 Bookworm Books',
    mode: 'compatible',
    customers: [
      {
        displayName: '李娜',
        actions: [
          { message: { type: 'text', text: '《三体》还有货吗？' } },
          {
            message: {
              type: 'location',
              latitude: 31.2304,
              longitude: 121.4737,
              scale: 15,
              label: '上海市黄浦区南京东路',
            },
          },
        ],
      },
      {
        displayName: 'Emma Li',
        actions: [
          { event: { event: 'CLICK', eventKey: 'MENU_NEW_ARRIVALS' } },
          { message: { type: 'text', text: 'Any new arrivals in English fiction this week?' } },
        ],
        reply: { agent: 1, text: 'Hi Emma! Three new novels arrived on Monday — shall I keep one for you?' },
      },
    ],
  },
  {
    name: '远方旅行 Faraway Travel',
    mode: 'safe',
    customers: [
      {
        displayName: '张伟',
        actions: [{ message: { type: 'text', text: '我想改签明天去成都的机票，可以吗？' } }],
      },
      {
        displayName: 'Sophie Chen',
        actions: [
          {
            message: {
              type: 'link',
              title: 'Yunnan 7-day tour',
              description: 'Kunming, Dali, Lijiang',
              url: 'https://example.com/tours/yunnan-7',
            },
          },
          { message: { type: 'text', text: 'Can I bring my dog on this tour?' } },
        ],
      },
    ],
  },
];

/** Labels, a team (the two agents) and canned responses for every account, so those screens are not empty. */
export const DEMO_LABELS: ReadonlyArray<{ name: string; color: string }> = [
  { name: 'VIP', color: '#e6a23c' },
  { name: '退款 Refund', color: '#f56c6c' },
  { name: '售前 Pre-sales', color: '#67c23a' },
];

export const DEMO_TEAM = '售后 After-sales';

export const DEMO_CANNED: ReadonlyArray<{ shortcut: string; text: string }> = [
  { shortcut: 'hours', text: '您好，我们的人工客服时间是每天 9:00–21:00。Our agents are here every day, 9:00–21:00.' },
  {
    shortcut: 'thanks',
    text: '感谢您的耐心等待！还有什么可以帮您的吗？Thank you for waiting! Anything else I can help with?',
  },
  {
    shortcut: 'refund',
    text: '退款会在 3–5 个工作日内原路退回。Refunds reach your original payment method in 3–5 working days.',
  },
];
