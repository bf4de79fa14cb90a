"""The road graph of trade corridors, and which places the incumbent can reach by road.

``routes.csv`` lists each corridor as a chain of place ids in road order.
:func:`route_graph` joins the chains into one undirected :mod:`networkx`
graph (an edge between each pair of neighbours on a chain).
:func:`incumbent_reach` answers the question behind the ``"cut"`` basis of
:func:`territory.trade_share`: starting from an origin (the dataset's
``origin``) and moving only through places whose holder is on the incumbent's
side, which places can the incumbent reach?

A place that lies on no route is not in the graph; callers decide what that
means (:mod:`territory.trade` treats a gate on no route as reachable exactly
when the incumbent holds it, and says so in a note).

Examples
--------
>>> import pandas as pd
>>> routes = pd.DataFrame({"route_id": ["r1", "r2"],
...                        "places": [["mandalay", "lashio", "muse"], ["lashio", "hsenwi"]]})
>>> graph = route_graph(routes)
>>> sorted(graph.neighbors("lashio"))
['hsenwi', 'mandalay', 'muse']
>>> sides = {"mandalay": "junta", "lashio": "resistance", "muse": "junta", "hsenwi": "junta"}
>>> sorted(incumbent_reach(graph, sides, "mandalay", incumbent="junta"))
['mandalay']
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import networkx as nx
import pandas as pd

from territory.dataset import DEFAULT_ORIGIN
from territory.errors import TerritoryError
from territory.sides import SHAN_SIDES

__all__ = ["DEFAULT_ORIGIN", "incumbent_reach", "junta_reach", "route_graph"]


def route_graph(routes: pd.DataFrame) -> nx.Graph:
    """One undirected graph of every route: nodes are place ids.

    Parameters
    ----------
    routes : pandas.DataFrame
        A ``routes`` table (``Dataset.routes``) with ``route_id`` and
        ``places`` (a list of place ids in road order).

    Returns
    -------
    networkx.Graph
        Each edge carries ``routes``, the sorted ids of the routes that use it.

    Examples
    --------
    >>> import pandas as pd
    >>> g = route_graph(pd.DataFrame({"route_id": ["a"], "places": [["x", "y", "z"]]}))
    >>> list(g.edges(data="routes"))
    [('x', 'y', ['a']), ('y', 'z', ['a'])]
    """
    graph = nx.Graph()
    for route_id, stops in zip(routes["route_id"], routes["places"], strict=True):
        stops = list(stops)
        graph.add_nodes_from(stops)
        for a, b in itertools.pairwise(stops):
            if a == b:
                continue
            if graph.has_edge(a, b):
                graph.edges[a, b]["routes"] = sorted({*graph.edges[a, b]["routes"], route_id})
            else:
                graph.add_edge(a, b, routes=[route_id])
    return graph


def incumbent_reach(
    graph: nx.Graph,
    sides: Mapping[str, str],
    origin: str = DEFAULT_ORIGIN,
    *,
    incumbent: str = SHAN_SIDES.incumbent,
) -> frozenset[str]:
    """Places the incumbent reaches from ``origin`` through places it holds only.

    A place is reached when a path along the routes joins it to ``origin`` and
    every place on the path, both ends included, is held by an actor of side
    ``incumbent``.  When the incumbent does not hold ``origin`` it reaches
    nothing.
    Whether a place is contested does not matter: its holder does.

    Parameters
    ----------
    graph : networkx.Graph
        From :func:`route_graph`.
    sides : mapping of str to str
        The side (of the dataset's vocabulary) of each place's holder.  A
        node missing from ``sides`` blocks the road.
    origin : str
        The place the incumbent's reach starts from (default: the embedded
        dataset's origin).
    incumbent : str
        The incumbent side of the dataset's vocabulary (``Dataset.sides.incumbent``;
        default: the embedded dataset's): the side whose roads these are.

    Returns
    -------
    frozenset of str

    Raises
    ------
    TerritoryError
        When ``origin`` is not a node of the graph.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.path_graph(["mandalay", "a", "b"])
    >>> sorted(incumbent_reach(g, {"mandalay": "junta", "a": "junta", "b": "neutral"}))
    ['a', 'mandalay']
    >>> incumbent_reach(g, {"mandalay": "resistance", "a": "junta", "b": "junta"})
    frozenset()
    """
    if origin not in graph:
        raise TerritoryError(
            f"origin: {origin!r} is on no route; expected a place id named in routes.csv "
            f"(for example {sorted(graph.nodes)[:5]})"
        )
    if sides.get(origin) != incumbent:
        return frozenset()
    held = [node for node in graph.nodes if sides.get(node) == incumbent]
    return frozenset(nx.node_connected_component(graph.subgraph(held), origin))


#: The former name of :func:`incumbent_reach`, kept for callers that use it.
junta_reach = incumbent_reach
