
use builtin;
use str;

set edit:completion:arg-completer[psa-link] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'psa-link'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'psa-link'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand source 'Where organizations and incidents come from (Huntress or a JSON file)'
            cand integration 'The one PSA integration: add, show, remove, send the test ticket'
            cand map 'Organization mapping: Huntress organizations to PSA companies'
            cand status-map 'Lifecycle event -> PSA status'
            cand priority-map 'Incident severity -> PSA priority'
            cand incident 'Push incidents to the PSA and follow them to resolution'
            cand sandbox 'Local emulators of Huntress and every supported PSA'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;source'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Configure the source'
            cand show 'Show the configured source'
            cand test 'Re-verify access to the source'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;source;set'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand huntress 'The Huntress API (verifies with GET /v1/account)'
            cand file 'A JSON file in the Huntress API''s shapes (offline and scripted use)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;source;set;huntress'= {
            cand --api-key 'Huntress API key (the secret comes from PSA_LINK_HUNTRESS_API_SECRET, a prompt or --secret-stdin)'
            cand --base-url 'Replaces https://api.huntress.io (sandbox, tests)'
            cand --secret-store 'Where to keep the secret: the OS keyring (default) or a 0600 secrets.toml in the config dir'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --secret-stdin 'Read the secret from stdin (one line)'
            cand --no-verify 'Store without checking the credentials'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;source;set;file'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;source;set;help'= {
            cand huntress 'The Huntress API (verifies with GET /v1/account)'
            cand file 'A JSON file in the Huntress API''s shapes (offline and scripted use)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;source;set;help;huntress'= {
        }
        &'psa-link;source;set;help;file'= {
        }
        &'psa-link;source;set;help;help'= {
        }
        &'psa-link;source;show'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;source;test'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;source;help'= {
            cand set 'Configure the source'
            cand show 'Show the configured source'
            cand test 'Re-verify access to the source'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;source;help;set'= {
            cand huntress 'The Huntress API (verifies with GET /v1/account)'
            cand file 'A JSON file in the Huntress API''s shapes (offline and scripted use)'
        }
        &'psa-link;source;help;set;huntress'= {
        }
        &'psa-link;source;help;set;file'= {
        }
        &'psa-link;source;help;show'= {
        }
        &'psa-link;source;help;test'= {
        }
        &'psa-link;source;help;help'= {
        }
        &'psa-link;integration'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Configure the PSA integration (one at a time; --replace to switch)'
            cand show 'Show the integration (secrets masked)'
            cand remove 'Remove the integration and its stored secret'
            cand test 'Send the test ticket: create, read back, check the company, resolve, check again'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;integration;add'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand halopsa 'HaloPSA (OAuth client credentials)'
            cand connectwise 'ConnectWise PSA / Manage (API member keys)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;integration;add;halopsa'= {
            cand --host 'Base domain only, e.g. acme.halopsa.com (no https://, no /api)'
            cand --auth-host 'The Authorisation Server: its URL from API Details (e.g. https://auth.haloservicedesk.com) or a host meaning https://HOST/auth (read from /api/authinfo when omitted)'
            cand --scope 'OAuth scopes to ask for, space-separated (default: all)'
            cand --tenant 'Tenant for hosted instances'
            cand --client-id 'OAuth client id of the HaloPSA application (secret: PSA_LINK_HALOPSA_CLIENT_SECRET)'
            cand --ticket-type 'Ticket type for new tickets, by name or id'
            cand --default-client 'Client for unmapped organizations, by name or id'
            cand --base-url 'Replaces https://<host> (on-premises, sandbox, tests)'
            cand --secret-store 'Where to keep the secret: the OS keyring (default) or a 0600 secrets.toml in the config dir'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --replace 'Replace the existing integration'
            cand --no-verify 'Store without checking credentials or resolving names (ids must then be given)'
            cand --secret-stdin 'Read the secret from stdin (one line)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;integration;add;connectwise'= {
            cand --site 'API site, e.g. api-na.myconnectwise.net'
            cand --company 'Login company id'
            cand --public-key 'API member public key (private key: PSA_LINK_CONNECTWISE_PRIVATE_KEY)'
            cand --client-id 'Integration clientId (GUID from developer.connectwise.com)'
            cand --board 'Service board for new tickets, by name or id'
            cand --default-company 'Company for unmapped organizations, by name or id'
            cand --base-url 'Replaces https://<site> (on-premises, sandbox, tests)'
            cand --secret-store 'Where to keep the secret: the OS keyring (default) or a 0600 secrets.toml in the config dir'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --replace 'Replace the existing integration'
            cand --no-verify 'Store without checking credentials or resolving names (ids must then be given)'
            cand --secret-stdin 'Read the secret from stdin (one line)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;integration;add;help'= {
            cand halopsa 'HaloPSA (OAuth client credentials)'
            cand connectwise 'ConnectWise PSA / Manage (API member keys)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;integration;add;help;halopsa'= {
        }
        &'psa-link;integration;add;help;connectwise'= {
        }
        &'psa-link;integration;add;help;help'= {
        }
        &'psa-link;integration;show'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;integration;remove'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;integration;test'= {
            cand --org 'Organization to file the test ticket for (id or exact name; default: the first mapped one)'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --no-resolve 'Do not move the ticket to the `resolved` status'
            cand --keep 'Keep the test ticket instead of deleting it'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;integration;help'= {
            cand add 'Configure the PSA integration (one at a time; --replace to switch)'
            cand show 'Show the integration (secrets masked)'
            cand remove 'Remove the integration and its stored secret'
            cand test 'Send the test ticket: create, read back, check the company, resolve, check again'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;integration;help;add'= {
            cand halopsa 'HaloPSA (OAuth client credentials)'
            cand connectwise 'ConnectWise PSA / Manage (API member keys)'
        }
        &'psa-link;integration;help;add;halopsa'= {
        }
        &'psa-link;integration;help;add;connectwise'= {
        }
        &'psa-link;integration;help;show'= {
        }
        &'psa-link;integration;help;remove'= {
        }
        &'psa-link;integration;help;test'= {
        }
        &'psa-link;integration;help;help'= {
        }
        &'psa-link;map'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand auto 'Fetch organizations and companies, map exact names, report the rest'
            cand manual 'Pin an organization to a company (each by id or exact name)'
            cand remove 'Unpin an organization'
            cand list 'Show the mapping (checked against the live PSA unless --offline)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;map;auto'= {
            cand --filter 'Which organizations to show'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --dry-run 'Show what would change; write nothing'
            cand --fail-on-unmapped 'Exit 5 when any organization is left unmapped, ambiguous or stale'
            cand --accept-suggestions 'Pin every unique, unambiguous suggestion as a manual pair (asks first; --yes to skip)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;map;manual'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;map;remove'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;map;list'= {
            cand --filter 'Which organizations to show'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --offline 'Use only mapping.toml; no network'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;map;help'= {
            cand auto 'Fetch organizations and companies, map exact names, report the rest'
            cand manual 'Pin an organization to a company (each by id or exact name)'
            cand remove 'Unpin an organization'
            cand list 'Show the mapping (checked against the live PSA unless --offline)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;map;help;auto'= {
        }
        &'psa-link;map;help;manual'= {
        }
        &'psa-link;map;help;remove'= {
        }
        &'psa-link;map;help;list'= {
        }
        &'psa-link;map;help;help'= {
        }
        &'psa-link;status-map'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Map a lifecycle event (created, remediation-approved, remediation-rejected, resolved, dismissed) to a status'
            cand list 'Show the status map'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;status-map;set'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;status-map;list'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;status-map;help'= {
            cand set 'Map a lifecycle event (created, remediation-approved, remediation-rejected, resolved, dismissed) to a status'
            cand list 'Show the status map'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;status-map;help;set'= {
        }
        &'psa-link;status-map;help;list'= {
        }
        &'psa-link;status-map;help;help'= {
        }
        &'psa-link;priority-map'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Map a severity (low, high, critical) to a priority'
            cand list 'Show the priority map'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;priority-map;set'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;priority-map;list'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;priority-map;help'= {
            cand set 'Map a severity (low, high, critical) to a priority'
            cand list 'Show the priority map'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;priority-map;help;set'= {
        }
        &'psa-link;priority-map;help;list'= {
        }
        &'psa-link;priority-map;help;help'= {
        }
        &'psa-link;incident'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand push 'Plan and apply the lifecycle for the named incidents'
            cand resolve 'Move an incident''s ticket to `resolved` with a resolution note'
            cand sync 'Push everything changed since the last run (the cron / service entry point)'
            cand list 'The ledger: incidents and their tickets'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;incident;push'= {
            cand --file 'Incidents from a JSON file (Huntress shapes)'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --all-open 'Every open incident in the source'
            cand --dry-run 'Print the requests that would change something; change nothing'
            cand --strict 'Refuse unmapped organizations (exit 5) instead of using the default company'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;incident;resolve'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --in-source 'Also resolve the incident in Huntress (needs a user-based API key)'
            cand --dry-run 'Print the requests that would change something; change nothing'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;incident;sync'= {
            cand --watch 'Keep running, polling every SECS seconds (Ctrl-C stops cleanly)'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --dry-run 'Print the requests that would change something; change nothing'
            cand --strict 'Refuse unmapped organizations (exit 5) instead of using the default company'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;incident;list'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --open 'Only incidents whose ticket is not resolved or dismissed'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;incident;help'= {
            cand push 'Plan and apply the lifecycle for the named incidents'
            cand resolve 'Move an incident''s ticket to `resolved` with a resolution note'
            cand sync 'Push everything changed since the last run (the cron / service entry point)'
            cand list 'The ledger: incidents and their tickets'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;incident;help;push'= {
        }
        &'psa-link;incident;help;resolve'= {
        }
        &'psa-link;incident;help;sync'= {
        }
        &'psa-link;incident;help;list'= {
        }
        &'psa-link;incident;help;help'= {
        }
        &'psa-link;sandbox'= {
            cand --psa 'Which PSA to emulate next to Huntress'
            cand --fault 'Switch on a failure mode (repeatable; `huntress:NAME` when both emulators have one); `--fault list` shows them'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Start the emulators and print how to point psa-link at them (the default)'
            cand demo 'Run the whole story end to end against fresh emulators'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;sandbox;serve'= {
            cand --port 'Port of the Huntress emulator (the PSA gets the next one; 0 = any free ports)'
            cand --latency-ms 'Latency added to every response, in milliseconds'
            cand --psa 'Which PSA to emulate next to Huntress'
            cand --fault 'Switch on a failure mode (repeatable; `huntress:NAME` when both emulators have one); `--fault list` shows them'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;sandbox;demo'= {
            cand --keep-config 'Keep the demo''s config dir here instead of a temporary one'
            cand --psa 'Which PSA to emulate next to Huntress'
            cand --fault 'Switch on a failure mode (repeatable; `huntress:NAME` when both emulators have one); `--fault list` shows them'
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;sandbox;help'= {
            cand serve 'Start the emulators and print how to point psa-link at them (the default)'
            cand demo 'Run the whole story end to end against fresh emulators'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;sandbox;help;serve'= {
        }
        &'psa-link;sandbox;help;demo'= {
        }
        &'psa-link;sandbox;help;help'= {
        }
        &'psa-link;completions'= {
            cand --config-dir 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)'
            cand --json 'Print one JSON document on stdout (progress and prompts go to stderr)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also: the NO_COLOR environment variable)'
            cand -v 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand --verbose 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)'
            cand -y 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand --yes 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'psa-link;help'= {
            cand source 'Where organizations and incidents come from (Huntress or a JSON file)'
            cand integration 'The one PSA integration: add, show, remove, send the test ticket'
            cand map 'Organization mapping: Huntress organizations to PSA companies'
            cand status-map 'Lifecycle event -> PSA status'
            cand priority-map 'Incident severity -> PSA priority'
            cand incident 'Push incidents to the PSA and follow them to resolution'
            cand sandbox 'Local emulators of Huntress and every supported PSA'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'psa-link;help;source'= {
            cand set 'Configure the source'
            cand show 'Show the configured source'
            cand test 'Re-verify access to the source'
        }
        &'psa-link;help;source;set'= {
            cand huntress 'The Huntress API (verifies with GET /v1/account)'
            cand file 'A JSON file in the Huntress API''s shapes (offline and scripted use)'
        }
        &'psa-link;help;source;set;huntress'= {
        }
        &'psa-link;help;source;set;file'= {
        }
        &'psa-link;help;source;show'= {
        }
        &'psa-link;help;source;test'= {
        }
        &'psa-link;help;integration'= {
            cand add 'Configure the PSA integration (one at a time; --replace to switch)'
            cand show 'Show the integration (secrets masked)'
            cand remove 'Remove the integration and its stored secret'
            cand test 'Send the test ticket: create, read back, check the company, resolve, check again'
        }
        &'psa-link;help;integration;add'= {
            cand halopsa 'HaloPSA (OAuth client credentials)'
            cand connectwise 'ConnectWise PSA / Manage (API member keys)'
        }
        &'psa-link;help;integration;add;halopsa'= {
        }
        &'psa-link;help;integration;add;connectwise'= {
        }
        &'psa-link;help;integration;show'= {
        }
        &'psa-link;help;integration;remove'= {
        }
        &'psa-link;help;integration;test'= {
        }
        &'psa-link;help;map'= {
            cand auto 'Fetch organizations and companies, map exact names, report the rest'
            cand manual 'Pin an organization to a company (each by id or exact name)'
            cand remove 'Unpin an organization'
            cand list 'Show the mapping (checked against the live PSA unless --offline)'
        }
        &'psa-link;help;map;auto'= {
        }
        &'psa-link;help;map;manual'= {
        }
        &'psa-link;help;map;remove'= {
        }
        &'psa-link;help;map;list'= {
        }
        &'psa-link;help;status-map'= {
            cand set 'Map a lifecycle event (created, remediation-approved, remediation-rejected, resolved, dismissed) to a status'
            cand list 'Show the status map'
        }
        &'psa-link;help;status-map;set'= {
        }
        &'psa-link;help;status-map;list'= {
        }
        &'psa-link;help;priority-map'= {
            cand set 'Map a severity (low, high, critical) to a priority'
            cand list 'Show the priority map'
        }
        &'psa-link;help;priority-map;set'= {
        }
        &'psa-link;help;priority-map;list'= {
        }
        &'psa-link;help;incident'= {
            cand push 'Plan and apply the lifecycle for the named incidents'
            cand resolve 'Move an incident''s ticket to `resolved` with a resolution note'
            cand sync 'Push everything changed since the last run (the cron / service entry point)'
            cand list 'The ledger: incidents and their tickets'
        }
        &'psa-link;help;incident;push'= {
        }
        &'psa-link;help;incident;resolve'= {
        }
        &'psa-link;help;incident;sync'= {
        }
        &'psa-link;help;incident;list'= {
        }
        &'psa-link;help;sandbox'= {
            cand serve 'Start the emulators and print how to point psa-link at them (the default)'
            cand demo 'Run the whole story end to end against fresh emulators'
        }
        &'psa-link;help;sandbox;serve'= {
        }
        &'psa-link;help;sandbox;demo'= {
        }
        &'psa-link;help;completions'= {
        }
        &'psa-link;help;help'= {
        }
    ]
    $completions[$command]
}
