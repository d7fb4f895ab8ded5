"""``dockblocks run PROJECT --service``: create a swarm service that keeps ``--count`` replicas running.

As the run dialog's service option does: the engine must be a swarm manager (a worker or an engine outside
any swarm is told plainly what to do instead), the service's name must be free, ports are published on
the node each replica runs on. The service's name (or the start of its id) goes to the standard output;
the equivalent ``docker service create`` line and every problem go to the standard error.
"""

from __future__ import annotations

import sys

from desktop.engine.run_spec import RunSpec

EXIT_CREATE_FAILED = 1


async def start_service(spec: RunSpec, labels: dict[str, str]) -> int:
    """Creates the service ``spec`` describes (``spec.as_service``) on the engine the docker CLI would use.

    Returns:
        The exit code: 0 once the engine accepted the service, 2 when the settings have errors.

    Raises:
        desktop.cli.CliError: no engine, not a manager, or the engine refused (said in plain words).
    """
    from desktop.cli import EXIT_OK, CliError
    from desktop.cli_run import errors_in, print_issues
    from desktop.engine.connection import connect_first, open_api_client
    from desktop.engine.contexts import candidates
    from desktop.engine.labels import dockblocks_labels
    from desktop.engine.problems import EngineUnavailable
    from desktop.engine.run_spec import check_spec
    from desktop.engine.services import (
        SwarmRole,
        check_service,
        create_service,
        list_services,
        plain_error,
        read_swarm_manager,
        say,
        say_count,
        service_command_line,
    )
    from desktop.engine.threads import run_blocking

    try:  # the engine the docker CLI would use: DOCKER_HOST, the current context, the usual sockets
        info = await connect_first(candidates())
        api = open_api_client(info)
    except EngineUnavailable as error:
        raise CliError(f"{error.problem.message} {error.problem.hint}".strip()) from None
    try:
        try:
            role = await run_blocking(read_swarm_manager, api)
            services = await run_blocking(list_services, api, True) if role else []
        except Exception as error:  # the engine went away, or its swarm has no leader: in plain words
            raise CliError(plain_error(error, spec), EXIT_CREATE_FAILED) from None
        if not role:
            raise CliError(say("cli.worker" if role is SwarmRole.WORKER else "cli.not_manager"))
        services = services or []
        issues = check_spec(spec) + check_service(spec, [service.name for service in services])
        print_issues(issues)
        if errors_in(issues):
            return 2
        print(service_command_line(spec), file=sys.stderr)
        try:
            # Labelled as the app's own, like instances: the Instances panel and cleanup find it.
            service_id = await run_blocking(create_service, api, spec, dockblocks_labels(labels))
        except Exception as error:  # the engine refused: its reason in plain words
            raise CliError(plain_error(error, spec), EXIT_CREATE_FAILED) from None
    finally:
        api.close()
    name = spec.name or service_id[:12]
    print(name, flush=True)
    print(say_count("cli.created", spec.count, name=name), file=sys.stderr)
    return EXIT_OK
