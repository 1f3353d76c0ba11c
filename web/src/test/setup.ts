// async-validator (Element Plus forms) logs every failed rule with console.warn outside production.
(globalThis as Record<string, unknown>).ASYNC_VALIDATOR_NO_WARNING = 1;
