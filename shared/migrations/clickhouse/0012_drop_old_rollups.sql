-- The rollups 0011 replaced; readers use rollup_minute and rollup_hour. Apart from
-- 0011, so that 0011 can run again after a stop midway: what it copies is still there.
DROP VIEW IF EXISTS {db}.check_rollup_minute_mv;

DROP VIEW IF EXISTS {db}.check_rollup_hour_mv;

DROP TABLE IF EXISTS {db}.check_rollup_minute;

DROP TABLE IF EXISTS {db}.check_rollup_hour
