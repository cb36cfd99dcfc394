-- Per-symbol one-second OHLC windows. open/close carry the event time they came from, so windows merge
-- correctly whatever order batches arrive in; VWAP = notional / volume (view below).
CREATE TABLE market_ohlc_1s (
  symbol   text             NOT NULL,
  bucket   timestamptz      NOT NULL,
  open     double precision NOT NULL,
  open_at  timestamptz      NOT NULL,
  high     double precision NOT NULL,
  low      double precision NOT NULL,
  close    double precision NOT NULL,
  close_at timestamptz      NOT NULL,
  volume   bigint           NOT NULL,
  notional double precision NOT NULL,
  trades   integer          NOT NULL,
  PRIMARY KEY (symbol, bucket)
);

CREATE VIEW market_ohlc_1s_vwap AS
  SELECT symbol, bucket, open, high, low, close, volume, trades, notional / NULLIF(volume, 0) AS vwap
  FROM market_ohlc_1s;
