"""Every write with side effects. Views, commands, tasks and the API call these."""
