-- Raw market events. (source, seq) is the idempotency key: a retried batch inserts nothing twice.
CREATE TABLE market_events (
  source       text             NOT NULL,
  seq          bigint           NOT NULL,
  generated_at timestamptz      NOT NULL,
  symbol       text             NOT NULL,
  price        double precision NOT NULL,
  volume       integer          NOT NULL,
  PRIMARY KEY (source, seq)
);
