/**
 * How the `pg` driver hands values over, set once per thread on import (data-source.ts for the
 * pool; usage-read.worker.ts for the usage read threads, whose modules are their own): dates stay
 * `YYYY-MM-DD` strings (a JS Date would shift them by the server's time zone); numerics and bigint
 * counts come back as numbers, since money and counts here fit in a double.
 */
import pg from 'pg';

pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
