//! The processor's migrations: the TypeScript processor's own SQL files, compiled in, applied under the
//! same advisory lock and remembered in the same table (apps/shared/migrate.ts), so either implementation
//! can migrate a database the other uses.

use deadpool_postgres::Pool;

/// Every file of apps/processor/migrations, in order (a test holds this list to the folder).
pub const MIGRATIONS: [(&str, &str); 3] = [
    ("001_market_events.sql", include_str!("../../processor/migrations/001_market_events.sql")),
    ("002_market_ohlc.sql", include_str!("../../processor/migrations/002_market_ohlc.sql")),
    ("003_iot_log.sql", include_str!("../../processor/migrations/003_iot_log.sql")),
];
const LOCK_ID: i64 = 7_340_001;

pub async fn migrate(pool: &Pool) -> Result<Vec<&'static str>, String> {
    let mut client = pool.get().await.map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
    client.execute("SELECT pg_advisory_lock($1)", &[&LOCK_ID]).await.map_err(|e| e.to_string())?;
    let result = async {
        client
            .batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            .await?;
        let done: Vec<String> = client.query("SELECT name FROM schema_migrations", &[]).await?.iter().map(|r| r.get(0)).collect();
        let mut applied = Vec::new();
        for (name, sql) in MIGRATIONS.iter().filter(|(name, _)| !done.iter().any(|d| d == name)) {
            let tx = client.transaction().await?;
            tx.batch_execute(sql).await?;
            tx.execute("INSERT INTO schema_migrations (name) VALUES ($1)", &[name]).await?;
            tx.commit().await?;
            applied.push(*name);
        }
        Ok::<_, tokio_postgres::Error>(applied)
    }
    .await;
    let _ = client.execute("SELECT pg_advisory_unlock($1)", &[&LOCK_ID]).await;
    result.map_err(|e| format!("migration failed: {}", e.as_db_error().map_or(e.to_string(), |d| d.message().to_string())))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_migration_file_is_compiled_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../processor/migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|f| f.ends_with(".sql"))
            .collect();
        files.sort();
        assert_eq!(files, super::MIGRATIONS.map(|(name, _)| name.to_string()));
    }
}
