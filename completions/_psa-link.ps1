
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'psa-link' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'psa-link'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'psa-link' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('source', 'source', [CompletionResultType]::ParameterValue, 'Where organizations and incidents come from (Huntress or a JSON file)')
            [CompletionResult]::new('integration', 'integration', [CompletionResultType]::ParameterValue, 'The one PSA integration: add, show, remove, send the test ticket')
            [CompletionResult]::new('map', 'map', [CompletionResultType]::ParameterValue, 'Organization mapping: Huntress organizations to PSA companies')
            [CompletionResult]::new('status-map', 'status-map', [CompletionResultType]::ParameterValue, 'Lifecycle event -> PSA status')
            [CompletionResult]::new('priority-map', 'priority-map', [CompletionResultType]::ParameterValue, 'Incident severity -> PSA priority')
            [CompletionResult]::new('incident', 'incident', [CompletionResultType]::ParameterValue, 'Push incidents to the PSA and follow them to resolution')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Local emulators of Huntress and every supported PSA')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;source' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Configure the source')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the configured source')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Re-verify access to the source')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;source;set' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('huntress', 'huntress', [CompletionResultType]::ParameterValue, 'The Huntress API (verifies with GET /v1/account)')
            [CompletionResult]::new('file', 'file', [CompletionResultType]::ParameterValue, 'A JSON file in the Huntress API''s shapes (offline and scripted use)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;source;set;huntress' {
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Huntress API key (the secret comes from PSA_LINK_HUNTRESS_API_SECRET, a prompt or --secret-stdin)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Replaces https://api.huntress.io (sandbox, tests)')
            [CompletionResult]::new('--secret-store', '--secret-store', [CompletionResultType]::ParameterName, 'Where to keep the secret: the OS keyring (default) or a 0600 secrets.toml in the config dir')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the secret from stdin (one line)')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Store without checking the credentials')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;source;set;file' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;source;set;help' {
            [CompletionResult]::new('huntress', 'huntress', [CompletionResultType]::ParameterValue, 'The Huntress API (verifies with GET /v1/account)')
            [CompletionResult]::new('file', 'file', [CompletionResultType]::ParameterValue, 'A JSON file in the Huntress API''s shapes (offline and scripted use)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;source;set;help;huntress' {
            break
        }
        'psa-link;source;set;help;file' {
            break
        }
        'psa-link;source;set;help;help' {
            break
        }
        'psa-link;source;show' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;source;test' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;source;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Configure the source')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the configured source')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Re-verify access to the source')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;source;help;set' {
            [CompletionResult]::new('huntress', 'huntress', [CompletionResultType]::ParameterValue, 'The Huntress API (verifies with GET /v1/account)')
            [CompletionResult]::new('file', 'file', [CompletionResultType]::ParameterValue, 'A JSON file in the Huntress API''s shapes (offline and scripted use)')
            break
        }
        'psa-link;source;help;set;huntress' {
            break
        }
        'psa-link;source;help;set;file' {
            break
        }
        'psa-link;source;help;show' {
            break
        }
        'psa-link;source;help;test' {
            break
        }
        'psa-link;source;help;help' {
            break
        }
        'psa-link;integration' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Configure the PSA integration (one at a time; --replace to switch)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the integration (secrets masked)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the integration and its stored secret')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send the test ticket: create, read back, check the company, resolve, check again')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;integration;add' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('halopsa', 'halopsa', [CompletionResultType]::ParameterValue, 'HaloPSA (OAuth client credentials)')
            [CompletionResult]::new('connectwise', 'connectwise', [CompletionResultType]::ParameterValue, 'ConnectWise PSA / Manage (API member keys)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;integration;add;halopsa' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Base domain only, e.g. acme.halopsa.com (no https://, no /api)')
            [CompletionResult]::new('--auth-host', '--auth-host', [CompletionResultType]::ParameterName, 'The Authorisation Server: its URL from API Details (e.g. https://auth.haloservicedesk.com) or a host meaning https://HOST/auth (read from /api/authinfo when omitted)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'OAuth scopes to ask for, space-separated (default: all)')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant for hosted instances')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth client id of the HaloPSA application (secret: PSA_LINK_HALOPSA_CLIENT_SECRET)')
            [CompletionResult]::new('--ticket-type', '--ticket-type', [CompletionResultType]::ParameterName, 'Ticket type for new tickets, by name or id')
            [CompletionResult]::new('--default-client', '--default-client', [CompletionResultType]::ParameterName, 'Client for unmapped organizations, by name or id')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Replaces https://<host> (on-premises, sandbox, tests)')
            [CompletionResult]::new('--secret-store', '--secret-store', [CompletionResultType]::ParameterName, 'Where to keep the secret: the OS keyring (default) or a 0600 secrets.toml in the config dir')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Replace the existing integration')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Store without checking credentials or resolving names (ids must then be given)')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the secret from stdin (one line)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;integration;add;connectwise' {
            [CompletionResult]::new('--site', '--site', [CompletionResultType]::ParameterName, 'API site, e.g. api-na.myconnectwise.net')
            [CompletionResult]::new('--company', '--company', [CompletionResultType]::ParameterName, 'Login company id')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'API member public key (private key: PSA_LINK_CONNECTWISE_PRIVATE_KEY)')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Integration clientId (GUID from developer.connectwise.com)')
            [CompletionResult]::new('--board', '--board', [CompletionResultType]::ParameterName, 'Service board for new tickets, by name or id')
            [CompletionResult]::new('--default-company', '--default-company', [CompletionResultType]::ParameterName, 'Company for unmapped organizations, by name or id')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Replaces https://<site> (on-premises, sandbox, tests)')
            [CompletionResult]::new('--secret-store', '--secret-store', [CompletionResultType]::ParameterName, 'Where to keep the secret: the OS keyring (default) or a 0600 secrets.toml in the config dir')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Replace the existing integration')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Store without checking credentials or resolving names (ids must then be given)')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the secret from stdin (one line)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;integration;add;help' {
            [CompletionResult]::new('halopsa', 'halopsa', [CompletionResultType]::ParameterValue, 'HaloPSA (OAuth client credentials)')
            [CompletionResult]::new('connectwise', 'connectwise', [CompletionResultType]::ParameterValue, 'ConnectWise PSA / Manage (API member keys)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;integration;add;help;halopsa' {
            break
        }
        'psa-link;integration;add;help;connectwise' {
            break
        }
        'psa-link;integration;add;help;help' {
            break
        }
        'psa-link;integration;show' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;integration;remove' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;integration;test' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization to file the test ticket for (id or exact name; default: the first mapped one)')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--no-resolve', '--no-resolve', [CompletionResultType]::ParameterName, 'Do not move the ticket to the `resolved` status')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the test ticket instead of deleting it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;integration;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Configure the PSA integration (one at a time; --replace to switch)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the integration (secrets masked)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the integration and its stored secret')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send the test ticket: create, read back, check the company, resolve, check again')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;integration;help;add' {
            [CompletionResult]::new('halopsa', 'halopsa', [CompletionResultType]::ParameterValue, 'HaloPSA (OAuth client credentials)')
            [CompletionResult]::new('connectwise', 'connectwise', [CompletionResultType]::ParameterValue, 'ConnectWise PSA / Manage (API member keys)')
            break
        }
        'psa-link;integration;help;add;halopsa' {
            break
        }
        'psa-link;integration;help;add;connectwise' {
            break
        }
        'psa-link;integration;help;show' {
            break
        }
        'psa-link;integration;help;remove' {
            break
        }
        'psa-link;integration;help;test' {
            break
        }
        'psa-link;integration;help;help' {
            break
        }
        'psa-link;map' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('auto', 'auto', [CompletionResultType]::ParameterValue, 'Fetch organizations and companies, map exact names, report the rest')
            [CompletionResult]::new('manual', 'manual', [CompletionResultType]::ParameterValue, 'Pin an organization to a company (each by id or exact name)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Unpin an organization')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the mapping (checked against the live PSA unless --offline)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;map;auto' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Which organizations to show')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change; write nothing')
            [CompletionResult]::new('--fail-on-unmapped', '--fail-on-unmapped', [CompletionResultType]::ParameterName, 'Exit 5 when any organization is left unmapped, ambiguous or stale')
            [CompletionResult]::new('--accept-suggestions', '--accept-suggestions', [CompletionResultType]::ParameterName, 'Pin every unique, unambiguous suggestion as a manual pair (asks first; --yes to skip)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;map;manual' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;map;remove' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;map;list' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Which organizations to show')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only mapping.toml; no network')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;map;help' {
            [CompletionResult]::new('auto', 'auto', [CompletionResultType]::ParameterValue, 'Fetch organizations and companies, map exact names, report the rest')
            [CompletionResult]::new('manual', 'manual', [CompletionResultType]::ParameterValue, 'Pin an organization to a company (each by id or exact name)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Unpin an organization')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the mapping (checked against the live PSA unless --offline)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;map;help;auto' {
            break
        }
        'psa-link;map;help;manual' {
            break
        }
        'psa-link;map;help;remove' {
            break
        }
        'psa-link;map;help;list' {
            break
        }
        'psa-link;map;help;help' {
            break
        }
        'psa-link;status-map' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Map a lifecycle event (created, remediation-approved, remediation-rejected, resolved, dismissed) to a status')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the status map')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;status-map;set' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;status-map;list' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;status-map;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Map a lifecycle event (created, remediation-approved, remediation-rejected, resolved, dismissed) to a status')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the status map')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;status-map;help;set' {
            break
        }
        'psa-link;status-map;help;list' {
            break
        }
        'psa-link;status-map;help;help' {
            break
        }
        'psa-link;priority-map' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Map a severity (low, high, critical) to a priority')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the priority map')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;priority-map;set' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;priority-map;list' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;priority-map;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Map a severity (low, high, critical) to a priority')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the priority map')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;priority-map;help;set' {
            break
        }
        'psa-link;priority-map;help;list' {
            break
        }
        'psa-link;priority-map;help;help' {
            break
        }
        'psa-link;incident' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Plan and apply the lifecycle for the named incidents')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Move an incident''s ticket to `resolved` with a resolution note')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Push everything changed since the last run (the cron / service entry point)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The ledger: incidents and their tickets')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;incident;push' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Incidents from a JSON file (Huntress shapes)')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--all-open', '--all-open', [CompletionResultType]::ParameterName, 'Every open incident in the source')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests that would change something; change nothing')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse unmapped organizations (exit 5) instead of using the default company')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;incident;resolve' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--in-source', '--in-source', [CompletionResultType]::ParameterName, 'Also resolve the incident in Huntress (needs a user-based API key)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests that would change something; change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;incident;sync' {
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Keep running, polling every SECS seconds (Ctrl-C stops cleanly)')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests that would change something; change nothing')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse unmapped organizations (exit 5) instead of using the default company')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;incident;list' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--open', '--open', [CompletionResultType]::ParameterName, 'Only incidents whose ticket is not resolved or dismissed')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;incident;help' {
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Plan and apply the lifecycle for the named incidents')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Move an incident''s ticket to `resolved` with a resolution note')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Push everything changed since the last run (the cron / service entry point)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The ledger: incidents and their tickets')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;incident;help;push' {
            break
        }
        'psa-link;incident;help;resolve' {
            break
        }
        'psa-link;incident;help;sync' {
            break
        }
        'psa-link;incident;help;list' {
            break
        }
        'psa-link;incident;help;help' {
            break
        }
        'psa-link;sandbox' {
            [CompletionResult]::new('--psa', '--psa', [CompletionResultType]::ParameterName, 'Which PSA to emulate next to Huntress')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Switch on a failure mode (repeatable; `huntress:NAME` when both emulators have one); `--fault list` shows them')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Start the emulators and print how to point psa-link at them (the default)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the whole story end to end against fresh emulators')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;sandbox;serve' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port of the Huntress emulator (the PSA gets the next one; 0 = any free ports)')
            [CompletionResult]::new('--latency-ms', '--latency-ms', [CompletionResultType]::ParameterName, 'Latency added to every response, in milliseconds')
            [CompletionResult]::new('--psa', '--psa', [CompletionResultType]::ParameterName, 'Which PSA to emulate next to Huntress')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Switch on a failure mode (repeatable; `huntress:NAME` when both emulators have one); `--fault list` shows them')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;sandbox;demo' {
            [CompletionResult]::new('--keep-config', '--keep-config', [CompletionResultType]::ParameterName, 'Keep the demo''s config dir here instead of a temporary one')
            [CompletionResult]::new('--psa', '--psa', [CompletionResultType]::ParameterName, 'Which PSA to emulate next to Huntress')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Switch on a failure mode (repeatable; `huntress:NAME` when both emulators have one); `--fault list` shows them')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;sandbox;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Start the emulators and print how to point psa-link at them (the default)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the whole story end to end against fresh emulators')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;sandbox;help;serve' {
            break
        }
        'psa-link;sandbox;help;demo' {
            break
        }
        'psa-link;sandbox;help;help' {
            break
        }
        'psa-link;completions' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Configuration directory (default: $XDG_CONFIG_HOME/psa-link)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout (progress and prompts go to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace HTTP requests on stderr (-vv: headers and bodies), secrets redacted (PSA_LINK_VERBOSE=0, 1 or 2)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'psa-link;help' {
            [CompletionResult]::new('source', 'source', [CompletionResultType]::ParameterValue, 'Where organizations and incidents come from (Huntress or a JSON file)')
            [CompletionResult]::new('integration', 'integration', [CompletionResultType]::ParameterValue, 'The one PSA integration: add, show, remove, send the test ticket')
            [CompletionResult]::new('map', 'map', [CompletionResultType]::ParameterValue, 'Organization mapping: Huntress organizations to PSA companies')
            [CompletionResult]::new('status-map', 'status-map', [CompletionResultType]::ParameterValue, 'Lifecycle event -> PSA status')
            [CompletionResult]::new('priority-map', 'priority-map', [CompletionResultType]::ParameterValue, 'Incident severity -> PSA priority')
            [CompletionResult]::new('incident', 'incident', [CompletionResultType]::ParameterValue, 'Push incidents to the PSA and follow them to resolution')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Local emulators of Huntress and every supported PSA')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'psa-link;help;source' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Configure the source')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the configured source')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Re-verify access to the source')
            break
        }
        'psa-link;help;source;set' {
            [CompletionResult]::new('huntress', 'huntress', [CompletionResultType]::ParameterValue, 'The Huntress API (verifies with GET /v1/account)')
            [CompletionResult]::new('file', 'file', [CompletionResultType]::ParameterValue, 'A JSON file in the Huntress API''s shapes (offline and scripted use)')
            break
        }
        'psa-link;help;source;set;huntress' {
            break
        }
        'psa-link;help;source;set;file' {
            break
        }
        'psa-link;help;source;show' {
            break
        }
        'psa-link;help;source;test' {
            break
        }
        'psa-link;help;integration' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Configure the PSA integration (one at a time; --replace to switch)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the integration (secrets masked)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the integration and its stored secret')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send the test ticket: create, read back, check the company, resolve, check again')
            break
        }
        'psa-link;help;integration;add' {
            [CompletionResult]::new('halopsa', 'halopsa', [CompletionResultType]::ParameterValue, 'HaloPSA (OAuth client credentials)')
            [CompletionResult]::new('connectwise', 'connectwise', [CompletionResultType]::ParameterValue, 'ConnectWise PSA / Manage (API member keys)')
            break
        }
        'psa-link;help;integration;add;halopsa' {
            break
        }
        'psa-link;help;integration;add;connectwise' {
            break
        }
        'psa-link;help;integration;show' {
            break
        }
        'psa-link;help;integration;remove' {
            break
        }
        'psa-link;help;integration;test' {
            break
        }
        'psa-link;help;map' {
            [CompletionResult]::new('auto', 'auto', [CompletionResultType]::ParameterValue, 'Fetch organizations and companies, map exact names, report the rest')
            [CompletionResult]::new('manual', 'manual', [CompletionResultType]::ParameterValue, 'Pin an organization to a company (each by id or exact name)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Unpin an organization')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the mapping (checked against the live PSA unless --offline)')
            break
        }
        'psa-link;help;map;auto' {
            break
        }
        'psa-link;help;map;manual' {
            break
        }
        'psa-link;help;map;remove' {
            break
        }
        'psa-link;help;map;list' {
            break
        }
        'psa-link;help;status-map' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Map a lifecycle event (created, remediation-approved, remediation-rejected, resolved, dismissed) to a status')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the status map')
            break
        }
        'psa-link;help;status-map;set' {
            break
        }
        'psa-link;help;status-map;list' {
            break
        }
        'psa-link;help;priority-map' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Map a severity (low, high, critical) to a priority')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the priority map')
            break
        }
        'psa-link;help;priority-map;set' {
            break
        }
        'psa-link;help;priority-map;list' {
            break
        }
        'psa-link;help;incident' {
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Plan and apply the lifecycle for the named incidents')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Move an incident''s ticket to `resolved` with a resolution note')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Push everything changed since the last run (the cron / service entry point)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The ledger: incidents and their tickets')
            break
        }
        'psa-link;help;incident;push' {
            break
        }
        'psa-link;help;incident;resolve' {
            break
        }
        'psa-link;help;incident;sync' {
            break
        }
        'psa-link;help;incident;list' {
            break
        }
        'psa-link;help;sandbox' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Start the emulators and print how to point psa-link at them (the default)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the whole story end to end against fresh emulators')
            break
        }
        'psa-link;help;sandbox;serve' {
            break
        }
        'psa-link;help;sandbox;demo' {
            break
        }
        'psa-link;help;completions' {
            break
        }
        'psa-link;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
