INSERT INTO market_ohlc_1s AS t (symbol, bucket, open, open_at, high, low, close, close_at, volume, notional, trades)
SELECT symbol, to_timestamp(bucket_ms / 1000.0), open, to_timestamp(open_ts / 1000.0), high, low,
       close, to_timestamp(close_ts / 1000.0), volume, notional, trades
FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
            $9::bigint[], $10::float8[], $11::int[])
  AS w(symbol, bucket_ms, open, open_ts, high, low, close, close_ts, volume, notional, trades)
ON CONFLICT (symbol, bucket) DO UPDATE SET
  open = CASE WHEN excluded.open_at < t.open_at THEN excluded.open ELSE t.open END,
  open_at = LEAST(t.open_at, excluded.open_at),
  high = GREATEST(t.high, excluded.high),
  low = LEAST(t.low, excluded.low),
  close = CASE WHEN excluded.close_at > t.close_at THEN excluded.close ELSE t.close END,
  close_at = GREATEST(t.close_at, excluded.close_at),
  volume = t.volume + excluded.volume,
  notional = t.notional + excluded.notional,
  trades = t.trades + excluded.trades
