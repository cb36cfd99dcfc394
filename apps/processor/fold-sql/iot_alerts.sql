INSERT INTO iot_alerts (source, seq, device, at, temperature)
SELECT source, seq, device, to_timestamp(ts / 1000.0), temperature
FROM unnest($1::text[], $2::bigint[], $3::text[], $4::float8[], $5::float8[]) AS a(source, seq, device, ts, temperature)
ON CONFLICT DO NOTHING
