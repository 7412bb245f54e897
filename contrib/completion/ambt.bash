# bash completion for ambt: subcommands, their options and theme names.
#
# The lists come from ambt itself (the hidden --list-commands,
# --list-options, COMMAND --list-options and --list-themes print the
# tables its parser uses), so a new command or option completes without
# a change here. An option printed with a trailing "=" takes a value.

# The words ambt prints for ARGS..., one a line.
_ambt_ask()
{
	"$_ambt_program" "$@" </dev/null 2>/dev/null
}

# Is WORD an option that takes a value, among the lines of LIST?
_ambt_takes_value()
{
	local word=$1 list=$2 line
	while IFS= read -r line; do
		[[ $line == "$word=" ]] && return 0
	done <<<"$list"
	return 1
}

_ambt()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD - 1]}
	local _ambt_program=${COMP_WORDS[0]}
	local globals options command= word i

	_ambt_program=${_ambt_program/#\~/$HOME}
	globals=$(_ambt_ask --list-options)
	# The command is the first word that is neither an option nor the
	# value of a global option.
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		if [[ $word == -* ]]; then
			_ambt_takes_value "$word" "$globals" && ((i++))
			continue
		fi
		command=$word
		break
	done
	if [[ -n $command ]]; then
		options=$(_ambt_ask "$command" --list-options)
	else
		options=$globals
	fi
	COMPREPLY=()
	if _ambt_takes_value "$prev" "$options"; then
		case $prev in
		--theme)
			mapfile -t COMPREPLY < <(compgen -W \
				"$(_ambt_ask --list-themes)" -- "$cur")
			;;
		--file)
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			;;
		esac
		return 0
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "${options//=/}" -- "$cur")
	elif [[ -z $command ]]; then
		mapfile -t COMPREPLY < <(compgen -W \
			"$(_ambt_ask --list-commands)" -- "$cur")
	elif [[ $prev == -F ]]; then
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
	return 0
}

complete -F _ambt ambt
