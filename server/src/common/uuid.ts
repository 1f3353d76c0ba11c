/** A UUID's text (8-4-4-4-12 hex digits), for composing larger patterns. */
export const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A UUID as PostgreSQL reads it; anything else would fail the `uuid` cast (a 500), so it is refused first. */
export const UUID = new RegExp(`^${UUID_PATTERN}$`, 'i');
