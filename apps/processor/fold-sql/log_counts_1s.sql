INSERT INTO log_counts_1s AS t (service, bucket, total, warns, errors)
SELECT service, to_timestamp(bucket_ms / 1000.0), total, warns, errors
FROM unnest($1::text[], $2::float8[], $3::int[], $4::int[], $5::int[]) AS w(service, bucket_ms, total, warns, errors)
ON CONFLICT (service, bucket) DO UPDATE SET total = t.total + excluded.total, warns = t.warns + excluded.warns,
  errors = t.errors + excluded.errors
