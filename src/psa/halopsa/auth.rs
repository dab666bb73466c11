//! OAuth client credentials against Halo's Authorisation Server: where it is (configured,
//! discovered through `/api/authinfo`, or `<base>/auth`), and one cached token shared by
//! every thread, renewed before it expires and whenever the API answers 401.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::diagnose::token_failure;
use super::wire::{field_int, field_text};
use crate::http::{ApiError, ApiErrorKind, BaseUrl, Service};
use crate::secrets::Secret;

/// Where tokens come from, for `integration add` to show (and keep, if it likes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthEndpoint {
    /// The Authorisation Server (`https://acme.halopsa.com/auth`).
    pub server: String,
    /// The tenant sent as `?tenant=`, if any.
    pub tenant: Option<String>,
    /// How the server was found.
    pub source: AuthSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthSource {
    /// `--auth-host`.
    Configured,
    /// `GET /api/authinfo`, in this process.
    Discovered,
    /// What `/api/authinfo` said when the integration was added (kept in config.toml).
    Stored,
    /// `<base>/auth`, Halo's layout, when authinfo gave nothing usable.
    Default,
}

struct Endpoint {
    service: Service,
    public: AuthEndpoint,
}

struct Token {
    value: Secret,
    renew_at: Instant,
    generation: u64,
}

#[derive(Default)]
struct State {
    endpoint: Option<Endpoint>,
    token: Option<Token>,
    generation: u64,
}

pub(super) struct Auth {
    /// The resource server's service; the auth service is the same one rebased.
    api: Service,
    /// `--auth-host` resolved to a URL.
    configured: Option<BaseUrl>,
    /// The server and tenant discovered when the integration was added.
    stored: Option<(BaseUrl, Option<String>)>,
    /// A `--base-url` was given: only follow an authinfo `auth_url` on its origin.
    pinned_origin: bool,
    tenant: Option<String>,
    client_id: String,
    secret: Secret,
    scope: String,
    state: Mutex<State>,
}

/// Renew this long before the token expires: a minute, or a fifth of short lifetimes.
fn renewal_margin(lifetime: Duration) -> Duration {
    (lifetime / 5).min(Duration::from_secs(60))
}

impl Auth {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        api: Service,
        configured: Option<BaseUrl>,
        stored: Option<(BaseUrl, Option<String>)>,
        pinned_origin: bool,
        tenant: Option<String>,
        client_id: String,
        secret: Secret,
        scope: String,
    ) -> Auth {
        Auth {
            api,
            configured,
            stored,
            pinned_origin,
            tenant,
            client_id,
            secret,
            scope,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn endpoint(&self) -> Result<AuthEndpoint, ApiError> {
        let mut st = self.lock();
        Ok(self.ensure_endpoint(&mut st)?.public.clone())
    }

    /// A valid token and its generation (pass it back to [`Auth::invalidate`]). The lock is
    /// held while fetching so concurrent pages wait for one token instead of each
    /// fetching their own.
    pub(super) fn token(&self) -> Result<(Secret, u64), ApiError> {
        let mut st = self.lock();
        if let Some(t) = &st.token
            && Instant::now() < t.renew_at
        {
            return Ok((t.value.clone(), t.generation));
        }
        st.token = None;
        let first = {
            let endpoint = self.ensure_endpoint(&mut st)?;
            self.fetch(endpoint)
        };
        let (value, lifetime) = match first {
            Err(e) if self.stale(&st, &e) => {
                // The server kept from `integration add` has moved: ask authinfo again, once.
                st.endpoint = Some(self.discover()?);
                let endpoint = st.endpoint.as_ref().expect("endpoint was just set");
                self.fetch(endpoint)?
            }
            other => other?,
        };
        st.generation += 1;
        let generation = st.generation;
        st.token = Some(Token {
            value: value.clone(),
            renew_at: Instant::now() + lifetime.saturating_sub(renewal_margin(lifetime)),
            generation,
        });
        Ok((value, generation))
    }

    /// Drops the token of this generation (the API refused it); a newer one is kept.
    pub(super) fn invalidate(&self, generation: u64) {
        let mut st = self.lock();
        if st
            .token
            .as_ref()
            .is_some_and(|t| t.generation == generation)
        {
            st.token = None;
        }
    }

    /// The stored server answered 404 or could not be reached: it may have moved.
    fn stale(&self, st: &State, err: &ApiError) -> bool {
        let stored = st
            .endpoint
            .as_ref()
            .is_some_and(|e| e.public.source == AuthSource::Stored);
        stored
            && (err.status == Some(404) || (err.status.is_none() && err.is(ApiErrorKind::Network)))
    }

    /// The endpoint found through `/api/authinfo` in this process, if that is how it was
    /// found (for `integration add` to keep in config.toml).
    pub(super) fn discovered(&self) -> Option<AuthEndpoint> {
        let st = self.lock();
        st.endpoint
            .as_ref()
            .filter(|e| e.public.source == AuthSource::Discovered)
            .map(|e| e.public.clone())
    }

    fn ensure_endpoint<'s>(&self, st: &'s mut State) -> Result<&'s Endpoint, ApiError> {
        if st.endpoint.is_none() {
            st.endpoint = Some(self.locate()?);
        }
        Ok(st.endpoint.as_ref().expect("endpoint was just set"))
    }

    fn endpoint_at(&self, server: BaseUrl, tenant: Option<String>, source: AuthSource) -> Endpoint {
        Endpoint {
            public: AuthEndpoint {
                server: server.to_string(),
                tenant,
                source,
            },
            service: self.api.rebased(server),
        }
    }

    /// The configured server; else the one kept from `integration add`; else the one
    /// `/api/authinfo` names.
    fn locate(&self) -> Result<Endpoint, ApiError> {
        if let Some(server) = &self.configured {
            return Ok(self.endpoint_at(
                server.clone(),
                self.tenant.clone(),
                AuthSource::Configured,
            ));
        }
        if let Some((server, tenant)) = &self.stored {
            let tenant = self.tenant.clone().or_else(|| tenant.clone());
            return Ok(self.endpoint_at(server.clone(), tenant, AuthSource::Stored));
        }
        self.discover()
    }

    /// The server `/api/authinfo` names (on the base URL's origin when a base URL pins
    /// it, any https server otherwise, as Halo-hosted instances use a separate auth
    /// host); else `<base>/auth`.
    fn discover(&self) -> Result<Endpoint, ApiError> {
        let fallback = self.api.base().join_path("auth");
        let info = match self.api.get("api/authinfo").idempotent().send() {
            Ok(resp) => resp.value().unwrap_or(Value::Null),
            // Halo answered, but not with authinfo: use its standard layout.
            Err(e) if e.status.is_some() => Value::Null,
            Err(e) => return Err(e),
        };
        let Value::Object(info) = info else {
            return Ok(self.endpoint_at(fallback, self.tenant.clone(), AuthSource::Default));
        };
        let tenant = self.tenant.clone().or_else(|| {
            field_text(&info, "tenant_id")
                .or_else(|| field_int(&info, "tenant_id").map(|t| t.to_string()))
                .filter(|t| !t.trim().is_empty())
        });
        let announced = field_text(&info, "auth_url")
            .and_then(|u| BaseUrl::parse(&u).ok())
            .filter(|u| !self.pinned_origin || same_origin(u, self.api.base()));
        Ok(match announced {
            Some(server) => self.endpoint_at(server, tenant, AuthSource::Discovered),
            None => self.endpoint_at(fallback, tenant, AuthSource::Default),
        })
    }

    /// `POST {server}/token[?tenant=T]`, form-encoded client credentials.
    fn fetch(&self, endpoint: &Endpoint) -> Result<(Secret, Duration), ApiError> {
        let mut call = endpoint.service.post("token").idempotent().form(&[
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.secret.expose()),
            ("scope", self.scope.as_str()),
        ]);
        if let Some(tenant) = &endpoint.public.tenant {
            call = call.query("tenant", tenant);
        }
        let token_url = format!("{}/token", endpoint.public.server);
        let resp = call
            .send()
            .map_err(|e| token_failure(e, endpoint.public.tenant.is_some(), &token_url))?;
        let body = resp.value()?;
        let Value::Object(body) = body else {
            return Err(ApiError::protocol(
                self.api.name(),
                "the token response is not a JSON object",
            ));
        };
        let token = field_text(&body, "access_token")
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::new(
                    self.api.name(),
                    ApiErrorKind::Protocol,
                    "the token response has no access_token",
                )
            })?;
        // 3600 s is what third-party docs and clients assume when Halo does not say.
        let lifetime = field_int(&body, "expires_in")
            .filter(|s| *s > 0)
            .map(|s| Duration::from_secs(s as u64))
            .unwrap_or(Duration::from_secs(3600));
        Ok((Secret::new(token), lifetime))
    }
}

fn same_origin(a: &BaseUrl, b: &BaseUrl) -> bool {
    let (a, b) = (a.url(), b.url());
    a.scheme() == b.scheme()
        && a.host_str().map(str::to_ascii_lowercase) == b.host_str().map(str::to_ascii_lowercase)
        && a.port_or_known_default() == b.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_a_little_before_they_expire() {
        assert_eq!(
            renewal_margin(Duration::from_secs(3600)),
            Duration::from_secs(60)
        );
        assert_eq!(
            renewal_margin(Duration::from_secs(1)),
            Duration::from_millis(200)
        );
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let a = BaseUrl::parse("http://127.0.0.1:8080").unwrap();
        let b = BaseUrl::parse("http://127.0.0.1:8080/auth").unwrap();
        let c = BaseUrl::parse("http://127.0.0.1:9090/auth").unwrap();
        assert!(same_origin(&a, &b));
        assert!(!same_origin(&a, &c));
    }
}
