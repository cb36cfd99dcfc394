INSERT INTO iot_stats_1s AS t (device, bucket, readings, temp_sum, temp_min, temp_max, humidity_sum)
SELECT device, to_timestamp(bucket_ms / 1000.0), readings, temp_sum, temp_min, temp_max, humidity_sum
FROM unnest($1::text[], $2::float8[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])
  AS w(device, bucket_ms, readings, temp_sum, temp_min, temp_max, humidity_sum)
ON CONFLICT (device, bucket) DO UPDATE SET readings = t.readings + excluded.readings, temp_sum = t.temp_sum + excluded.temp_sum,
  temp_min = LEAST(t.temp_min, excluded.temp_min), temp_max = GREATEST(t.temp_max, excluded.temp_max),
  humidity_sum = t.humidity_sum + excluded.humidity_sum
