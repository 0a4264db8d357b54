/**
 * The whole-application tests (*IT) in four groups, one failsafe JVM each (it.forks=4): the
 * groups are balanced by their run times (docs/performance.md), the longest classes of each run
 * first, and classes of one Spring context configuration sit in one group where they can, so
 * that a context starts once rather than in every JVM. {@link ITGroup4} takes every *IT that
 * the other groups do not name: a new class runs there without being listed.
 */
package co.soukosync.groups;
