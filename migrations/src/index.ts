import { Init1764072000000 } from './1764072000000-Init';
import { WechatChannel1795608120275 } from './1795608120275-WechatChannel';
import { InboxCore1795608467208 } from './1795608467208-InboxCore';
import { Identity1795609377982 } from './1795609377982-Identity';
import { Metrics1795610400000 } from './1795610400000-Metrics';
import { TeamsLabelsReplies1795616826107 } from './1795616826107-TeamsLabelsReplies';

/** Every migration, oldest first. A new migration is added here in the same commit. */
export const MIGRATIONS = [
  Init1764072000000,
  WechatChannel1795608120275,
  InboxCore1795608467208,
  Identity1795609377982,
  Metrics1795610400000,
  TeamsLabelsReplies1795616826107,
];
