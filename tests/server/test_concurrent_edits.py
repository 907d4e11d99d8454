"""Concurrent edits: of two saves made on the same version, exactly one wins."""

from __future__ import annotations

import threading

from serverkit import Server

from surgeplan.server.errors import ConflictError, ServiceError
from surgeplan.server.policy import Actor, Role
from surgeplan.server.services.scenarios import read_table, write_table


def test_two_simultaneous_edits_of_one_version_one_wins_one_gets_409(server: Server) -> None:
    with server.store.read() as uow:
        user = uow.users.by_name("planner")
        assert user is not None
    planner = Actor(user.id, "planner", Role.PLANNER, frozenset())
    sites, _ = read_table(server.store, planner, server.scenario_id, "sites")
    edits = [sites.replace("Chicago", "Chicago IL"), sites.replace("New York", "New York NY")]
    start = threading.Barrier(len(edits))
    outcomes: list[object] = [None] * len(edits)

    def save(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = write_table(
                server.store,
                planner,
                server.scenario_id,
                "sites",
                "sites.csv",
                edits[i].encode(),
                1,
            )
        except ServiceError as error:
            outcomes[i] = error

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(edits))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wins = [o for o in outcomes if o == 2]
    losses = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(wins) == 1 and len(losses) == 1, outcomes
    final, version = read_table(server.store, planner, server.scenario_id, "sites")
    assert version == 2
    assert final in edits
