//! The store's side of the operator listener's logins: API tokens (`cadenced api-token`).
//! Only a token's SHA-256 is stored: the token itself is shown once, at creation.

use chrono::{DateTime, Utc};

use crate::db::rows::to_ms;
use crate::db::{Backend, Store, StoreError};

/// An API token as listed (never the token itself, which is not stored).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiTokenRow {
    /// The name given at creation: what `revoke` and the logs name.
    pub name: String,
    /// When it was created, ms since the epoch.
    pub created_at: i64,
    /// When it was revoked, ms since the epoch; `None` while it works.
    pub revoked_at: Option<i64>,
}

impl Store {
    /// Stores a new token under `name` by its hash.
    ///
    /// # Errors
    /// [`StoreError::Refused`] when a live token already has this name; database errors.
    pub async fn create_api_token(
        &self,
        name: &str,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let taken = with_pool!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM api_tokens WHERE name = $1 AND revoked_at IS NULL"
        )
        .bind(name)
        .fetch_one(pool)
        .await?);
        if taken > 0 {
            return Err(StoreError::Refused(format!(
                "an API token named {name:?} already exists (revoke it first, or pick another name)"
            )));
        }
        with_pool!(self, |pool| sqlx::query(
            "INSERT INTO api_tokens (name, hash, created_at) VALUES ($1, $2, $3)"
        )
        .bind(name)
        .bind(hash)
        .bind(to_ms(now))
        .execute(pool)
        .await
        .map(|_| ())?);
        Ok(())
    }

    /// Every token, live ones first, then by name.
    ///
    /// # Errors
    /// Database errors.
    pub async fn api_tokens(&self) -> Result<Vec<ApiTokenRow>, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, ApiTokenRow>(
            "SELECT name, created_at, revoked_at FROM api_tokens \
             ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, name, id"
        )
        .fetch_all(pool)
        .await?))
    }

    /// Revokes the live token named `name`: from now on it gets 401.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when no live token has that name; database errors.
    pub async fn revoke_api_token(&self, name: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let n = with_pool!(self, |pool| sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL"
        )
        .bind(to_ms(now))
        .bind(name)
        .execute(pool)
        .await?
        .rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound(format!(
                "no live API token is named {name:?}"
            )));
        }
        Ok(())
    }

    /// The name of the live token with this hash, if any: the API's login check.
    ///
    /// # Errors
    /// Database errors.
    pub async fn api_token_by_hash(&self, hash: &str) -> Result<Option<String>, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_scalar::<_, String>(
            "SELECT name FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL"
        )
        .bind(hash)
        .fetch_optional(pool)
        .await?))
    }
}

/// A console session, as the cookie finds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    /// Who is logged in.
    pub user_name: String,
    /// The CSRF token every form of this session carries.
    pub csrf: String,
    /// When it ends, ms.
    pub expires_at: i64,
}

impl Store {
    /// Adds a console account, or replaces its password hash.
    ///
    /// # Errors
    /// Database errors.
    pub async fn set_console_user(
        &self,
        name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let existed = with_pool!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM console_users WHERE name = $1"
        )
        .bind(name)
        .fetch_one(pool)
        .await?)
            > 0;
        with_pool!(self, |pool| sqlx::query(
            "INSERT INTO console_users (name, password_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash"
        )
        .bind(name)
        .bind(password_hash)
        .bind(to_ms(now))
        .execute(pool)
        .await
        .map(|_| ())?);
        if existed {
            // A new password ends the account's sessions.
            with_pool!(self, |pool| sqlx::query(
                "DELETE FROM console_sessions WHERE user_name = $1"
            )
            .bind(name)
            .execute(pool)
            .await
            .map(|_| ())?);
        }
        Ok(!existed)
    }

    /// The password hash of a console account.
    ///
    /// # Errors
    /// Database errors.
    pub async fn console_password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_scalar::<_, String>(
            "SELECT password_hash FROM console_users WHERE name = $1"
        )
        .bind(name)
        .fetch_optional(pool)
        .await?))
    }

    /// Starts a session (by the hash of its cookie token).
    ///
    /// # Errors
    /// Database errors.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: &str,
        csrf: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO console_sessions (token_hash, user_name, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(token_hash)
        .bind(user)
        .bind(csrf)
        .bind(to_ms(now))
        .bind(to_ms(expires_at))
        .execute(pool)
        .await
        .map(|_| ())?
        });
        Ok(())
    }

    /// The live session with this token hash.
    ///
    /// # Errors
    /// Database errors.
    pub async fn session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRow>, StoreError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_as::<_, SessionRow>(
            "SELECT user_name, csrf, expires_at FROM console_sessions WHERE token_hash = $1 AND expires_at > $2"
        )
        .bind(token_hash)
        .bind(to_ms(now))
        .fetch_optional(pool)
        .await?)
        })
    }

    /// Ends a session.
    ///
    /// # Errors
    /// Database errors.
    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query(
            "DELETE FROM console_sessions WHERE token_hash = $1"
        )
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|_| ())?);
        Ok(())
    }
}
