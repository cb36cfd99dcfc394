-- Schema evolution: v2 market events carry their exchange; v1 rows have none.
ALTER TABLE market_events ADD COLUMN exchange text;

-- Raw IoT readings and log events; (source, seq) is the idempotency key, as for market events.
CREATE TABLE iot_events (
  source       text             NOT NULL,
  seq          bigint           NOT NULL,
  generated_at timestamptz      NOT NULL,
  device       text             NOT NULL,
  temperature  double precision NOT NULL,
  humidity     double precision NOT NULL,
  readings     double precision[] NOT NULL,
  payload      bytea,
  PRIMARY KEY (source, seq)
);

CREATE TABLE log_events (
  source       text        NOT NULL,
  seq          bigint      NOT NULL,
  generated_at timestamptz NOT NULL,
  level        text        NOT NULL,
  service      text        NOT NULL,
  message      text        NOT NULL,
  PRIMARY KEY (source, seq)
);

-- Per-device one-second statistics, folded exactly once per new on-time reading; rolling figures are a view.
CREATE TABLE iot_stats_1s (
  device       text             NOT NULL,
  bucket       timestamptz      NOT NULL,
  readings     integer          NOT NULL,
  temp_sum     double precision NOT NULL,
  temp_min     double precision NOT NULL,
  temp_max     double precision NOT NULL,
  humidity_sum double precision NOT NULL,
  PRIMARY KEY (device, bucket)
);

CREATE VIEW iot_device_rolling_60s AS
  SELECT device, bucket,
         sum(readings) OVER w AS readings,
         sum(temp_sum) OVER w / sum(readings) OVER w AS temp_avg,
         min(temp_min) OVER w AS temp_min,
         max(temp_max) OVER w AS temp_max,
         sum(humidity_sum) OVER w / sum(readings) OVER w AS humidity_avg
  FROM iot_stats_1s
  WINDOW w AS (PARTITION BY device ORDER BY bucket RANGE BETWEEN interval '59 seconds' PRECEDING AND CURRENT ROW);

-- A reading above the processor's alert threshold, once per event.
CREATE TABLE iot_alerts (
  source      text             NOT NULL,
  seq         bigint           NOT NULL,
  device      text             NOT NULL,
  at          timestamptz      NOT NULL,
  temperature double precision NOT NULL,
  PRIMARY KEY (source, seq)
);

-- Per-service one-second log counts; the error rate is a view.
CREATE TABLE log_counts_1s (
  service text        NOT NULL,
  bucket  timestamptz NOT NULL,
  total   integer     NOT NULL,
  warns   integer     NOT NULL,
  errors  integer     NOT NULL,
  PRIMARY KEY (service, bucket)
);

CREATE VIEW log_error_rate_1s AS
  SELECT service, bucket, total, warns, errors, errors::double precision / total AS error_rate FROM log_counts_1s;
