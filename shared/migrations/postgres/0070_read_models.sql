-- The api's read model for the other services: the monitors and channels users
-- defined, as the api last wrote them. Only the api writes the tables behind these
-- views; the scheduler and the notifier read here, never the tables, so the api may
-- change its tables as long as these columns keep their meaning.
CREATE VIEW monitor_definitions AS
    SELECT id, version, doc, paused, deleted_at FROM monitors;

CREATE VIEW channel_definitions AS
    SELECT id, kind, config, events, deleted_at FROM channels;
