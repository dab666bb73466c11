_psa__link() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="psa__link"
                ;;
            psa__link,completions)
                cmd="psa__link__subcmd__completions"
                ;;
            psa__link,help)
                cmd="psa__link__subcmd__help"
                ;;
            psa__link,incident)
                cmd="psa__link__subcmd__incident"
                ;;
            psa__link,integration)
                cmd="psa__link__subcmd__integration"
                ;;
            psa__link,map)
                cmd="psa__link__subcmd__map"
                ;;
            psa__link,priority-map)
                cmd="psa__link__subcmd__priority__subcmd__map"
                ;;
            psa__link,sandbox)
                cmd="psa__link__subcmd__sandbox"
                ;;
            psa__link,source)
                cmd="psa__link__subcmd__source"
                ;;
            psa__link,status-map)
                cmd="psa__link__subcmd__status__subcmd__map"
                ;;
            psa__link__subcmd__help,completions)
                cmd="psa__link__subcmd__help__subcmd__completions"
                ;;
            psa__link__subcmd__help,help)
                cmd="psa__link__subcmd__help__subcmd__help"
                ;;
            psa__link__subcmd__help,incident)
                cmd="psa__link__subcmd__help__subcmd__incident"
                ;;
            psa__link__subcmd__help,integration)
                cmd="psa__link__subcmd__help__subcmd__integration"
                ;;
            psa__link__subcmd__help,map)
                cmd="psa__link__subcmd__help__subcmd__map"
                ;;
            psa__link__subcmd__help,priority-map)
                cmd="psa__link__subcmd__help__subcmd__priority__subcmd__map"
                ;;
            psa__link__subcmd__help,sandbox)
                cmd="psa__link__subcmd__help__subcmd__sandbox"
                ;;
            psa__link__subcmd__help,source)
                cmd="psa__link__subcmd__help__subcmd__source"
                ;;
            psa__link__subcmd__help,status-map)
                cmd="psa__link__subcmd__help__subcmd__status__subcmd__map"
                ;;
            psa__link__subcmd__help__subcmd__incident,list)
                cmd="psa__link__subcmd__help__subcmd__incident__subcmd__list"
                ;;
            psa__link__subcmd__help__subcmd__incident,push)
                cmd="psa__link__subcmd__help__subcmd__incident__subcmd__push"
                ;;
            psa__link__subcmd__help__subcmd__incident,resolve)
                cmd="psa__link__subcmd__help__subcmd__incident__subcmd__resolve"
                ;;
            psa__link__subcmd__help__subcmd__incident,sync)
                cmd="psa__link__subcmd__help__subcmd__incident__subcmd__sync"
                ;;
            psa__link__subcmd__help__subcmd__integration,add)
                cmd="psa__link__subcmd__help__subcmd__integration__subcmd__add"
                ;;
            psa__link__subcmd__help__subcmd__integration,remove)
                cmd="psa__link__subcmd__help__subcmd__integration__subcmd__remove"
                ;;
            psa__link__subcmd__help__subcmd__integration,show)
                cmd="psa__link__subcmd__help__subcmd__integration__subcmd__show"
                ;;
            psa__link__subcmd__help__subcmd__integration,test)
                cmd="psa__link__subcmd__help__subcmd__integration__subcmd__test"
                ;;
            psa__link__subcmd__help__subcmd__integration__subcmd__add,connectwise)
                cmd="psa__link__subcmd__help__subcmd__integration__subcmd__add__subcmd__connectwise"
                ;;
            psa__link__subcmd__help__subcmd__integration__subcmd__add,halopsa)
                cmd="psa__link__subcmd__help__subcmd__integration__subcmd__add__subcmd__halopsa"
                ;;
            psa__link__subcmd__help__subcmd__map,auto)
                cmd="psa__link__subcmd__help__subcmd__map__subcmd__auto"
                ;;
            psa__link__subcmd__help__subcmd__map,list)
                cmd="psa__link__subcmd__help__subcmd__map__subcmd__list"
                ;;
            psa__link__subcmd__help__subcmd__map,manual)
                cmd="psa__link__subcmd__help__subcmd__map__subcmd__manual"
                ;;
            psa__link__subcmd__help__subcmd__map,remove)
                cmd="psa__link__subcmd__help__subcmd__map__subcmd__remove"
                ;;
            psa__link__subcmd__help__subcmd__priority__subcmd__map,list)
                cmd="psa__link__subcmd__help__subcmd__priority__subcmd__map__subcmd__list"
                ;;
            psa__link__subcmd__help__subcmd__priority__subcmd__map,set)
                cmd="psa__link__subcmd__help__subcmd__priority__subcmd__map__subcmd__set"
                ;;
            psa__link__subcmd__help__subcmd__sandbox,demo)
                cmd="psa__link__subcmd__help__subcmd__sandbox__subcmd__demo"
                ;;
            psa__link__subcmd__help__subcmd__sandbox,serve)
                cmd="psa__link__subcmd__help__subcmd__sandbox__subcmd__serve"
                ;;
            psa__link__subcmd__help__subcmd__source,set)
                cmd="psa__link__subcmd__help__subcmd__source__subcmd__set"
                ;;
            psa__link__subcmd__help__subcmd__source,show)
                cmd="psa__link__subcmd__help__subcmd__source__subcmd__show"
                ;;
            psa__link__subcmd__help__subcmd__source,test)
                cmd="psa__link__subcmd__help__subcmd__source__subcmd__test"
                ;;
            psa__link__subcmd__help__subcmd__source__subcmd__set,file)
                cmd="psa__link__subcmd__help__subcmd__source__subcmd__set__subcmd__file"
                ;;
            psa__link__subcmd__help__subcmd__source__subcmd__set,huntress)
                cmd="psa__link__subcmd__help__subcmd__source__subcmd__set__subcmd__huntress"
                ;;
            psa__link__subcmd__help__subcmd__status__subcmd__map,list)
                cmd="psa__link__subcmd__help__subcmd__status__subcmd__map__subcmd__list"
                ;;
            psa__link__subcmd__help__subcmd__status__subcmd__map,set)
                cmd="psa__link__subcmd__help__subcmd__status__subcmd__map__subcmd__set"
                ;;
            psa__link__subcmd__incident,help)
                cmd="psa__link__subcmd__incident__subcmd__help"
                ;;
            psa__link__subcmd__incident,list)
                cmd="psa__link__subcmd__incident__subcmd__list"
                ;;
            psa__link__subcmd__incident,push)
                cmd="psa__link__subcmd__incident__subcmd__push"
                ;;
            psa__link__subcmd__incident,resolve)
                cmd="psa__link__subcmd__incident__subcmd__resolve"
                ;;
            psa__link__subcmd__incident,sync)
                cmd="psa__link__subcmd__incident__subcmd__sync"
                ;;
            psa__link__subcmd__incident__subcmd__help,help)
                cmd="psa__link__subcmd__incident__subcmd__help__subcmd__help"
                ;;
            psa__link__subcmd__incident__subcmd__help,list)
                cmd="psa__link__subcmd__incident__subcmd__help__subcmd__list"
                ;;
            psa__link__subcmd__incident__subcmd__help,push)
                cmd="psa__link__subcmd__incident__subcmd__help__subcmd__push"
                ;;
            psa__link__subcmd__incident__subcmd__help,resolve)
                cmd="psa__link__subcmd__incident__subcmd__help__subcmd__resolve"
                ;;
            psa__link__subcmd__incident__subcmd__help,sync)
                cmd="psa__link__subcmd__incident__subcmd__help__subcmd__sync"
                ;;
            psa__link__subcmd__integration,add)
                cmd="psa__link__subcmd__integration__subcmd__add"
                ;;
            psa__link__subcmd__integration,help)
                cmd="psa__link__subcmd__integration__subcmd__help"
                ;;
            psa__link__subcmd__integration,remove)
                cmd="psa__link__subcmd__integration__subcmd__remove"
                ;;
            psa__link__subcmd__integration,show)
                cmd="psa__link__subcmd__integration__subcmd__show"
                ;;
            psa__link__subcmd__integration,test)
                cmd="psa__link__subcmd__integration__subcmd__test"
                ;;
            psa__link__subcmd__integration__subcmd__add,connectwise)
                cmd="psa__link__subcmd__integration__subcmd__add__subcmd__connectwise"
                ;;
            psa__link__subcmd__integration__subcmd__add,halopsa)
                cmd="psa__link__subcmd__integration__subcmd__add__subcmd__halopsa"
                ;;
            psa__link__subcmd__integration__subcmd__add,help)
                cmd="psa__link__subcmd__integration__subcmd__add__subcmd__help"
                ;;
            psa__link__subcmd__integration__subcmd__add__subcmd__help,connectwise)
                cmd="psa__link__subcmd__integration__subcmd__add__subcmd__help__subcmd__connectwise"
                ;;
            psa__link__subcmd__integration__subcmd__add__subcmd__help,halopsa)
                cmd="psa__link__subcmd__integration__subcmd__add__subcmd__help__subcmd__halopsa"
                ;;
            psa__link__subcmd__integration__subcmd__add__subcmd__help,help)
                cmd="psa__link__subcmd__integration__subcmd__add__subcmd__help__subcmd__help"
                ;;
            psa__link__subcmd__integration__subcmd__help,add)
                cmd="psa__link__subcmd__integration__subcmd__help__subcmd__add"
                ;;
            psa__link__subcmd__integration__subcmd__help,help)
                cmd="psa__link__subcmd__integration__subcmd__help__subcmd__help"
                ;;
            psa__link__subcmd__integration__subcmd__help,remove)
                cmd="psa__link__subcmd__integration__subcmd__help__subcmd__remove"
                ;;
            psa__link__subcmd__integration__subcmd__help,show)
                cmd="psa__link__subcmd__integration__subcmd__help__subcmd__show"
                ;;
            psa__link__subcmd__integration__subcmd__help,test)
                cmd="psa__link__subcmd__integration__subcmd__help__subcmd__test"
                ;;
            psa__link__subcmd__integration__subcmd__help__subcmd__add,connectwise)
                cmd="psa__link__subcmd__integration__subcmd__help__subcmd__add__subcmd__connectwise"
                ;;
            psa__link__subcmd__integration__subcmd__help__subcmd__add,halopsa)
                cmd="psa__link__subcmd__integration__subcmd__help__subcmd__add__subcmd__halopsa"
                ;;
            psa__link__subcmd__map,auto)
                cmd="psa__link__subcmd__map__subcmd__auto"
                ;;
            psa__link__subcmd__map,help)
                cmd="psa__link__subcmd__map__subcmd__help"
                ;;
            psa__link__subcmd__map,list)
                cmd="psa__link__subcmd__map__subcmd__list"
                ;;
            psa__link__subcmd__map,manual)
                cmd="psa__link__subcmd__map__subcmd__manual"
                ;;
            psa__link__subcmd__map,remove)
                cmd="psa__link__subcmd__map__subcmd__remove"
                ;;
            psa__link__subcmd__map__subcmd__help,auto)
                cmd="psa__link__subcmd__map__subcmd__help__subcmd__auto"
                ;;
            psa__link__subcmd__map__subcmd__help,help)
                cmd="psa__link__subcmd__map__subcmd__help__subcmd__help"
                ;;
            psa__link__subcmd__map__subcmd__help,list)
                cmd="psa__link__subcmd__map__subcmd__help__subcmd__list"
                ;;
            psa__link__subcmd__map__subcmd__help,manual)
                cmd="psa__link__subcmd__map__subcmd__help__subcmd__manual"
                ;;
            psa__link__subcmd__map__subcmd__help,remove)
                cmd="psa__link__subcmd__map__subcmd__help__subcmd__remove"
                ;;
            psa__link__subcmd__priority__subcmd__map,help)
                cmd="psa__link__subcmd__priority__subcmd__map__subcmd__help"
                ;;
            psa__link__subcmd__priority__subcmd__map,list)
                cmd="psa__link__subcmd__priority__subcmd__map__subcmd__list"
                ;;
            psa__link__subcmd__priority__subcmd__map,set)
                cmd="psa__link__subcmd__priority__subcmd__map__subcmd__set"
                ;;
            psa__link__subcmd__priority__subcmd__map__subcmd__help,help)
                cmd="psa__link__subcmd__priority__subcmd__map__subcmd__help__subcmd__help"
                ;;
            psa__link__subcmd__priority__subcmd__map__subcmd__help,list)
                cmd="psa__link__subcmd__priority__subcmd__map__subcmd__help__subcmd__list"
                ;;
            psa__link__subcmd__priority__subcmd__map__subcmd__help,set)
                cmd="psa__link__subcmd__priority__subcmd__map__subcmd__help__subcmd__set"
                ;;
            psa__link__subcmd__sandbox,demo)
                cmd="psa__link__subcmd__sandbox__subcmd__demo"
                ;;
            psa__link__subcmd__sandbox,help)
                cmd="psa__link__subcmd__sandbox__subcmd__help"
                ;;
            psa__link__subcmd__sandbox,serve)
                cmd="psa__link__subcmd__sandbox__subcmd__serve"
                ;;
            psa__link__subcmd__sandbox__subcmd__help,demo)
                cmd="psa__link__subcmd__sandbox__subcmd__help__subcmd__demo"
                ;;
            psa__link__subcmd__sandbox__subcmd__help,help)
                cmd="psa__link__subcmd__sandbox__subcmd__help__subcmd__help"
                ;;
            psa__link__subcmd__sandbox__subcmd__help,serve)
                cmd="psa__link__subcmd__sandbox__subcmd__help__subcmd__serve"
                ;;
            psa__link__subcmd__source,help)
                cmd="psa__link__subcmd__source__subcmd__help"
                ;;
            psa__link__subcmd__source,set)
                cmd="psa__link__subcmd__source__subcmd__set"
                ;;
            psa__link__subcmd__source,show)
                cmd="psa__link__subcmd__source__subcmd__show"
                ;;
            psa__link__subcmd__source,test)
                cmd="psa__link__subcmd__source__subcmd__test"
                ;;
            psa__link__subcmd__source__subcmd__help,help)
                cmd="psa__link__subcmd__source__subcmd__help__subcmd__help"
                ;;
            psa__link__subcmd__source__subcmd__help,set)
                cmd="psa__link__subcmd__source__subcmd__help__subcmd__set"
                ;;
            psa__link__subcmd__source__subcmd__help,show)
                cmd="psa__link__subcmd__source__subcmd__help__subcmd__show"
                ;;
            psa__link__subcmd__source__subcmd__help,test)
                cmd="psa__link__subcmd__source__subcmd__help__subcmd__test"
                ;;
            psa__link__subcmd__source__subcmd__help__subcmd__set,file)
                cmd="psa__link__subcmd__source__subcmd__help__subcmd__set__subcmd__file"
                ;;
            psa__link__subcmd__source__subcmd__help__subcmd__set,huntress)
                cmd="psa__link__subcmd__source__subcmd__help__subcmd__set__subcmd__huntress"
                ;;
            psa__link__subcmd__source__subcmd__set,file)
                cmd="psa__link__subcmd__source__subcmd__set__subcmd__file"
                ;;
            psa__link__subcmd__source__subcmd__set,help)
                cmd="psa__link__subcmd__source__subcmd__set__subcmd__help"
                ;;
            psa__link__subcmd__source__subcmd__set,huntress)
                cmd="psa__link__subcmd__source__subcmd__set__subcmd__huntress"
                ;;
            psa__link__subcmd__source__subcmd__set__subcmd__help,file)
                cmd="psa__link__subcmd__source__subcmd__set__subcmd__help__subcmd__file"
                ;;
            psa__link__subcmd__source__subcmd__set__subcmd__help,help)
                cmd="psa__link__subcmd__source__subcmd__set__subcmd__help__subcmd__help"
                ;;
            psa__link__subcmd__source__subcmd__set__subcmd__help,huntress)
                cmd="psa__link__subcmd__source__subcmd__set__subcmd__help__subcmd__huntress"
                ;;
            psa__link__subcmd__status__subcmd__map,help)
                cmd="psa__link__subcmd__status__subcmd__map__subcmd__help"
                ;;
            psa__link__subcmd__status__subcmd__map,list)
                cmd="psa__link__subcmd__status__subcmd__map__subcmd__list"
                ;;
            psa__link__subcmd__status__subcmd__map,set)
                cmd="psa__link__subcmd__status__subcmd__map__subcmd__set"
                ;;
            psa__link__subcmd__status__subcmd__map__subcmd__help,help)
                cmd="psa__link__subcmd__status__subcmd__map__subcmd__help__subcmd__help"
                ;;
            psa__link__subcmd__status__subcmd__map__subcmd__help,list)
                cmd="psa__link__subcmd__status__subcmd__map__subcmd__help__subcmd__list"
                ;;
            psa__link__subcmd__status__subcmd__map__subcmd__help,set)
                cmd="psa__link__subcmd__status__subcmd__map__subcmd__help__subcmd__set"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        psa__link)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version source integration map status-map priority-map incident sandbox completions help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__completions)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version bash elvish fish powershell zsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help)
            opts="source integration map status-map priority-map incident sandbox completions help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__completions)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__incident)
            opts="push resolve sync list"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__incident__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__incident__subcmd__push)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__incident__subcmd__resolve)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__incident__subcmd__sync)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__integration)
            opts="add show remove test"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__integration__subcmd__add)
            opts="halopsa connectwise"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__integration__subcmd__add__subcmd__connectwise)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__integration__subcmd__add__subcmd__halopsa)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__integration__subcmd__remove)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__integration__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__integration__subcmd__test)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__map)
            opts="auto manual remove list"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__map__subcmd__auto)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__map__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__map__subcmd__manual)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__map__subcmd__remove)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__priority__subcmd__map)
            opts="set list"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__priority__subcmd__map__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__priority__subcmd__map__subcmd__set)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__sandbox)
            opts="serve demo"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__sandbox__subcmd__demo)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__sandbox__subcmd__serve)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__source)
            opts="set show test"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__source__subcmd__set)
            opts="huntress file"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__source__subcmd__set__subcmd__file)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__source__subcmd__set__subcmd__huntress)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__source__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__source__subcmd__test)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__status__subcmd__map)
            opts="set list"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__status__subcmd__map__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__help__subcmd__status__subcmd__map__subcmd__set)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version push resolve sync list help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident__subcmd__help)
            opts="push resolve sync list help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident__subcmd__help__subcmd__push)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident__subcmd__help__subcmd__resolve)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident__subcmd__help__subcmd__sync)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident__subcmd__list)
            opts="-q -v -y -h -V --open --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident__subcmd__push)
            opts="-q -v -y -h -V --file --all-open --dry-run --strict --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident__subcmd__resolve)
            opts="-q -v -y -h -V --in-source --dry-run --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__incident__subcmd__sync)
            opts="-q -v -y -h -V --watch --dry-run --strict --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --watch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version add show remove test help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__add)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version halopsa connectwise help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__add__subcmd__connectwise)
            opts="-q -v -y -h -V --site --company --public-key --client-id --board --default-company --base-url --replace --no-verify --secret-stdin --secret-store --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --site)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --company)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --public-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --client-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --board)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --default-company)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --secret-store)
                    COMPREPLY=($(compgen -W "keyring file" -- "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__add__subcmd__halopsa)
            opts="-q -v -y -h -V --host --auth-host --scope --tenant --client-id --ticket-type --default-client --base-url --replace --no-verify --secret-stdin --secret-store --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --host)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --auth-host)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scope)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tenant)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --client-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ticket-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --default-client)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --secret-store)
                    COMPREPLY=($(compgen -W "keyring file" -- "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__add__subcmd__help)
            opts="halopsa connectwise help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__add__subcmd__help__subcmd__connectwise)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__add__subcmd__help__subcmd__halopsa)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__add__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__help)
            opts="add show remove test help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__help__subcmd__add)
            opts="halopsa connectwise"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__help__subcmd__add__subcmd__connectwise)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__help__subcmd__add__subcmd__halopsa)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__help__subcmd__remove)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__help__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__help__subcmd__test)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__remove)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__show)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__integration__subcmd__test)
            opts="-q -v -y -h -V --org --no-resolve --keep --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --org)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version auto manual remove list help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map__subcmd__auto)
            opts="-q -v -y -h -V --filter --dry-run --fail-on-unmapped --accept-suggestions --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --filter)
                    COMPREPLY=($(compgen -W "all mapped unmapped stale" -- "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map__subcmd__help)
            opts="auto manual remove list help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map__subcmd__help__subcmd__auto)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map__subcmd__help__subcmd__manual)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map__subcmd__help__subcmd__remove)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map__subcmd__list)
            opts="-q -v -y -h -V --filter --offline --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --filter)
                    COMPREPLY=($(compgen -W "all mapped unmapped stale" -- "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map__subcmd__manual)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__map__subcmd__remove)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__priority__subcmd__map)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version set list help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__priority__subcmd__map__subcmd__help)
            opts="set list help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__priority__subcmd__map__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__priority__subcmd__map__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__priority__subcmd__map__subcmd__help__subcmd__set)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__priority__subcmd__map__subcmd__list)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__priority__subcmd__map__subcmd__set)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__sandbox)
            opts="-q -v -y -h -V --psa --fault --config-dir --json --quiet --no-color --verbose --yes --help --version serve demo help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --psa)
                    COMPREPLY=($(compgen -W "halopsa connectwise" -- "${cur}"))
                    return 0
                    ;;
                --fault)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__sandbox__subcmd__demo)
            opts="-q -v -y -h -V --keep-config --psa --fault --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --keep-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --psa)
                    COMPREPLY=($(compgen -W "halopsa connectwise" -- "${cur}"))
                    return 0
                    ;;
                --fault)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__sandbox__subcmd__help)
            opts="serve demo help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__sandbox__subcmd__help__subcmd__demo)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__sandbox__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__sandbox__subcmd__help__subcmd__serve)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__sandbox__subcmd__serve)
            opts="-q -v -y -h -V --port --latency-ms --psa --fault --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --latency-ms)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --psa)
                    COMPREPLY=($(compgen -W "halopsa connectwise" -- "${cur}"))
                    return 0
                    ;;
                --fault)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version set show test help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__help)
            opts="set show test help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__help__subcmd__set)
            opts="huntress file"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__help__subcmd__set__subcmd__file)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__help__subcmd__set__subcmd__huntress)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__help__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__help__subcmd__test)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__set)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version huntress file help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__set__subcmd__file)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__set__subcmd__help)
            opts="huntress file help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__set__subcmd__help__subcmd__file)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__set__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__set__subcmd__help__subcmd__huntress)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 5 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__set__subcmd__huntress)
            opts="-q -v -y -h -V --api-key --base-url --secret-stdin --secret-store --no-verify --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --api-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --secret-store)
                    COMPREPLY=($(compgen -W "keyring file" -- "${cur}"))
                    return 0
                    ;;
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__show)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__source__subcmd__test)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__status__subcmd__map)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version set list help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__status__subcmd__map__subcmd__help)
            opts="set list help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__status__subcmd__map__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__status__subcmd__map__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__status__subcmd__map__subcmd__help__subcmd__set)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__status__subcmd__map__subcmd__list)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        psa__subcmd__link__subcmd__status__subcmd__map__subcmd__set)
            opts="-q -v -y -h -V --config-dir --json --quiet --no-color --verbose --yes --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _psa__link -o nosort -o bashdefault -o default psa-link
else
    complete -F _psa__link -o bashdefault -o default psa-link
fi
