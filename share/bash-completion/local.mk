# share/bash-completion: upsgatectl's completion (commands, log names,
# setting keys), where bash-completion loads it on demand.
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = share/bash-completion/upsgatectl
