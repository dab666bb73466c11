//! The ConnectWise integration's settings (`[integration.settings]` in config.toml) and
//! their validation. The private key is the secret and is never part of them.

use serde::{Deserialize, Serialize};

use crate::error::Failure;

/// The API version psa-link pins in `Accept` (a PSA release; the guide recommends pinning,
/// and a deprecated version keeps working for 12 months).
pub const DEFAULT_API_VERSION: &str = "2025.1";

/// Where the developer guide sends people for a clientId.
pub const CLIENT_ID_URL: &str = "https://developer.connectwise.com/ClientID";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Bare API host, e.g. `api-na.myconnectwise.net` (no scheme, no path).
    pub site: String,
    /// The login company id (what is typed as "Company" at sign-in).
    pub company: String,
    /// The API member's public key.
    pub public_key: String,
    /// The integration's clientId (a GUID), sent on every request.
    pub client_id: String,
    /// API version pinned in `Accept` (default [`DEFAULT_API_VERSION`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// The codebase `/login/companyinfo` gave at `integration add` (e.g. `v2025_1/`), so
    /// later runs skip the lookup; looked up again once when the whole API answers 404.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebase: Option<String>,
}

impl Settings {
    /// Validated and normalised settings, from what a user typed.
    pub fn new(
        site: &str,
        company: &str,
        public_key: &str,
        client_id: &str,
        api_version: Option<&str>,
    ) -> Result<Settings, Failure> {
        let settings = Settings {
            site: normalize_site(site)?,
            company: company.trim().to_string(),
            public_key: public_key.trim().to_string(),
            client_id: client_id
                .trim()
                .trim_matches(['{', '}'])
                .to_ascii_lowercase(),
            api_version: api_version.map(|v| v.trim().to_string()),
            codebase: None,
        };
        settings.validate()?;
        Ok(settings)
    }

    /// Reads `[integration.settings]`.
    pub fn from_table(table: &toml::Table) -> Result<Settings, Failure> {
        let settings: Settings = table.clone().try_into().map_err(|e: toml::de::Error| {
            Failure::config(format!(
                "the ConnectWise settings in config.toml are incomplete: {}",
                e.message()
            ))
            .with_fix("re-run `psa-link integration add connectwise --replace ...`")
        })?;
        settings.validate()?;
        Ok(settings)
    }

    /// Writes `[integration.settings]`.
    pub fn to_table(&self) -> toml::Table {
        toml::Table::try_from(self).unwrap_or_default()
    }

    /// These settings with the discovered codebase, to store.
    pub fn with_codebase(mut self, codebase: Option<String>) -> Settings {
        self.codebase = codebase.filter(|c| super::is_codebase(c));
        self
    }

    pub fn api_version(&self) -> &str {
        self.api_version.as_deref().unwrap_or(DEFAULT_API_VERSION)
    }

    /// The Basic-auth user name: `<company>+<public key>`.
    pub fn auth_user(&self) -> String {
        format!("{}+{}", self.company, self.public_key)
    }

    pub fn validate(&self) -> Result<(), Failure> {
        if normalize_site(&self.site)? != self.site {
            return Err(Failure::config(format!(
                "ConnectWise site '{}' is not a bare host name",
                self.site
            ))
            .with_fix(format!("use --site {}", normalize_site(&self.site)?)));
        }
        if self.company.is_empty() || self.company.contains([':', '+', ' ']) {
            return Err(Failure::config(format!(
                "'{}' is not a ConnectWise login company id",
                self.company
            ))
            .with_fix(
                "give --company the company id typed at the ConnectWise sign-in page (e.g. acme), without spaces",
            ));
        }
        if self.public_key.is_empty() || self.public_key.contains([':', ' ']) {
            return Err(Failure::config("the ConnectWise public key is missing or malformed")
                .with_fix(
                    "give --public-key the public key of an API member (System > Members > API Members > API Keys)",
                ));
        }
        if !is_guid(&self.client_id) {
            return Err(Failure::config(format!(
                "ConnectWise clientId '{}' is not a GUID",
                self.client_id
            ))
            .with_fix(format!(
                "give --client-id the GUID registered for this integration at {CLIENT_ID_URL} (e.g. 5a0f6c1e-8b2d-4c7e-9f3a-2d6b8e1c4a70)"
            )));
        }
        if let Some(c) = &self.codebase
            && !super::is_codebase(c)
        {
            return Err(Failure::config(format!(
                "'{c}' is not a ConnectWise codebase"
            ))
            .with_fix("remove the codebase line from [integration.settings] in config.toml (psa-link looks it up again), or re-run `psa-link integration add connectwise --replace ...`"));
        }
        if let Some(v) = &self.api_version
            && !is_api_version(v)
        {
            return Err(Failure::config(format!(
                "'{v}' is not a ConnectWise API version"
            ))
            .with_fix(format!(
                "use a PSA release such as {DEFAULT_API_VERSION}, or drop api_version to use psa-link's default"
            )));
        }
        Ok(())
    }
}

/// The bare host of a ConnectWise site. Refuses a scheme, a path and the web hosts that
/// need the `api-` prefix (`na.myconnectwise.net` answers "SSL is required"), naming the
/// value to use instead.
pub fn normalize_site(raw: &str) -> Result<String, Failure> {
    let trimmed = raw.trim();
    let without_scheme = trimmed
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(trimmed);
    let host = without_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let valid_host = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && !host.starts_with(['.', '-', ':']);
    if !valid_host {
        return Err(
            Failure::config(format!("'{trimmed}' is not a ConnectWise site host"))
                .with_fix("give --site the API host only, e.g. api-na.myconnectwise.net"),
        );
    }
    let suggested = api_host_for(&host).unwrap_or_else(|| host.clone());
    let extra = !without_scheme
        .trim_end_matches('/')
        .trim_end_matches('.')
        .eq_ignore_ascii_case(&host);
    if without_scheme != trimmed || extra {
        return Err(Failure::config(format!(
            "ConnectWise site '{trimmed}' must be the bare host, without https:// or a path"
        ))
        .with_fix(format!("use --site {suggested}")));
    }
    if suggested != host {
        return Err(Failure::config(format!(
            "'{host}' is ConnectWise's web host; the REST API is served from '{suggested}' (without the api- prefix it answers \"SSL is required\")"
        ))
        .with_fix(format!("use --site {suggested}")));
    }
    Ok(host)
}

/// `na.myconnectwise.net` → `api-na.myconnectwise.net` (the cloud regions the guide lists).
fn api_host_for(host: &str) -> Option<String> {
    let (label, domain) = host.split_once('.')?;
    let cloud = matches!(
        (label, domain),
        ("na" | "eu" | "au", "myconnectwise.net") | ("staging", "connectwisedev.com")
    );
    cloud.then(|| format!("api-{host}"))
}

fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_api_version(v: &str) -> bool {
    v.split_once('.').is_some_and(|(y, n)| {
        y.len() == 4
            && y.chars().all(|c| c.is_ascii_digit())
            && !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_must_be_a_bare_host_and_the_fix_names_it() {
        assert_eq!(
            normalize_site(" API-NA.myconnectwise.net ").unwrap(),
            "api-na.myconnectwise.net"
        );
        assert_eq!(
            normalize_site("cw.acme.example:8443").unwrap(),
            "cw.acme.example:8443"
        );
        let e =
            normalize_site("https://api-eu.myconnectwise.net/v4_6_release/apis/3.0").unwrap_err();
        assert_eq!(
            e.fix.as_deref(),
            Some("use --site api-eu.myconnectwise.net")
        );
        let e = normalize_site("na.myconnectwise.net").unwrap_err();
        assert!(e.message.contains("SSL is required"), "{}", e.message);
        assert_eq!(
            e.fix.as_deref(),
            Some("use --site api-na.myconnectwise.net")
        );
        let e = normalize_site("https://na.myconnectwise.net/").unwrap_err();
        assert_eq!(
            e.fix.as_deref(),
            Some("use --site api-na.myconnectwise.net")
        );
        assert!(
            normalize_site("za.myconnectwise.net").is_ok(),
            "listed as a cloud host"
        );
        assert!(normalize_site("").is_err());
        assert!(normalize_site("acme corp").is_err());
    }

    #[test]
    fn settings_validate_company_keys_guid_and_version() {
        let ok = Settings::new(
            "api-na.myconnectwise.net",
            "acme",
            "pub",
            "{5A0F6C1E-8B2D-4C7E-9F3A-2D6B8E1C4A70}",
            None,
        )
        .unwrap();
        assert_eq!(ok.client_id, "5a0f6c1e-8b2d-4c7e-9f3a-2d6b8e1c4a70");
        assert_eq!(ok.api_version(), DEFAULT_API_VERSION);
        assert_eq!(ok.auth_user(), "acme+pub");
        let guid = "5a0f6c1e-8b2d-4c7e-9f3a-2d6b8e1c4a70";
        let e = Settings::new(
            "api-na.myconnectwise.net",
            "acme",
            "pub",
            "not-a-guid",
            None,
        )
        .unwrap_err();
        assert!(e.fix.unwrap().contains(CLIENT_ID_URL));
        assert!(Settings::new("api-na.myconnectwise.net", "ac me", "pub", guid, None).is_err());
        assert!(Settings::new("api-na.myconnectwise.net", "acme", "", guid, None).is_err());
        assert!(
            Settings::new(
                "api-na.myconnectwise.net",
                "acme",
                "pub",
                guid,
                Some("2025")
            )
            .is_err()
        );
        assert!(
            Settings::new(
                "api-na.myconnectwise.net",
                "acme",
                "pub",
                guid,
                Some("2024.2")
            )
            .is_ok()
        );
    }

    #[test]
    fn settings_round_trip_through_toml_without_secrets() {
        let s = Settings::new(
            "api-au.myconnectwise.net",
            "acme",
            "pubkey",
            "5a0f6c1e-8b2d-4c7e-9f3a-2d6b8e1c4a70",
            Some("2024.1"),
        )
        .unwrap();
        let table = s.to_table();
        let text = toml::to_string(&table).unwrap();
        assert!(!text.contains("private"), "{text}");
        assert_eq!(Settings::from_table(&table).unwrap(), s);
        let mut broken = table.clone();
        broken.remove("client_id");
        let e = Settings::from_table(&broken).unwrap_err();
        assert!(e.message.contains("client_id"), "{}", e.message);
    }
}
