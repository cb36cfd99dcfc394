//! What a failed write means for the request (apps/processor/database-errors.ts): PostgreSQL refused its
//! data (422, and its commit is retried without it), PostgreSQL is gone (503, retry), or something else (500).

use crate::events::Event;

#[derive(Debug)]
pub enum WriteError {
    /// No connection could be had from the pool.
    Pool(deadpool_postgres::PoolError),
    Database(tokio_postgres::Error),
}

impl From<deadpool_postgres::PoolError> for WriteError {
    fn from(error: deadpool_postgres::PoolError) -> Self {
        WriteError::Pool(error)
    }
}

impl From<tokio_postgres::Error> for WriteError {
    fn from(error: tokio_postgres::Error) -> Self {
        WriteError::Database(error)
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Pool(error) => write!(f, "{error}"),
            WriteError::Database(error) => match error.as_db_error() {
                Some(db) => write!(f, "{}", db.message()),
                None => write!(f, "{error}"),
            },
        }
    }
}

impl WriteError {
    fn code(&self) -> Option<&str> {
        match self {
            WriteError::Database(error) => error.code().map(|c| c.code()),
            WriteError::Pool(deadpool_postgres::PoolError::Backend(error)) => error.code().map(|c| c.code()),
            WriteError::Pool(_) => None,
        }
    }

    /// SQLSTATE class 22 (data exception) or 23 (integrity constraint): the request's own data.
    pub fn is_data_refusal(&self) -> bool {
        self.code().is_some_and(|c| c.starts_with("22") || c.starts_with("23"))
    }

    /// No connection, a connection exception (class 08), the server stopping or starting (57P), or a
    /// connection that ended mid-statement.
    pub fn is_database_unavailable(&self) -> bool {
        if let Some(code) = self.code() {
            return code.starts_with("08") || code.starts_with("57P");
        }
        match self {
            WriteError::Pool(_) => true,
            // A connection that closed, or failed on its socket; not every error without a SQLSTATE.
            WriteError::Database(error) => {
                error.is_closed() || std::error::Error::source(error).is_some_and(|cause| cause.is::<std::io::Error>())
            }
        }
    }

    /// The JSON pointer of what the database refused in a request committed alone: COPY's context names
    /// the table, the row (the n-th event of that kind) and, for a bad value, the column. `/events` else.
    pub fn refused_path(&self, events: &[Event]) -> String {
        let WriteError::Database(error) = self else { return "/events".into() };
        let Some(db) = error.as_db_error() else { return "/events".into() };
        let Some(context) = db.where_().and_then(|w| w.strip_prefix("COPY ")) else { return "/events".into() };
        let (table, rest) = context.split_once(", line ").unwrap_or(("", ""));
        let table = table.trim_end_matches("_staging");
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let column = rest.split_once(", column ").map(|(_, c)| c.split(|ch: char| !(ch.is_alphanumeric() || ch == '_')).next().unwrap_or(""));
        let kind = match table {
            "market_events" => 0,
            "iot_events" => 1,
            "log_events" => 2,
            _ => return "/events".into(),
        };
        let Ok(nth) = digits.parse::<usize>() else { return "/events".into() };
        let Some((index, _)) = events.iter().enumerate().filter(|(_, e)| e.kind_index() == kind).nth(nth.saturating_sub(1)) else {
            return "/events".into();
        };
        match column.filter(|c| !c.is_empty()).or(db.column()) {
            Some("generated_at") => format!("/events/{index}/ts"),
            Some(column) => format!("/events/{index}/{column}"),
            None => format!("/events/{index}"),
        }
    }
}
