"""The compile pipeline: `app.json` (project), dependency resolution from the
package cache (deps), the compile driver (compiler) and its forked workers
(workers), and the cache of dependency symbols shared by compiles (symcache).
It stands on every stage below it: syntax, package, semantic, emit."""
