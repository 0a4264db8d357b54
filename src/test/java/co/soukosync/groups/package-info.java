/**
 * The whole-application tests (*IT) in three groups, one failsafe JVM each (it.forks=3): the
 * classes of one Spring context configuration sit in one group, so that a context starts once
 * rather than in every JVM that happens to run one of its classes, and the groups are balanced by
 * their run times. Each group starts with a class of its shared context; the classes that start
 * applications or processes of their own come after, when the other JVMs have started too.
 * {@link ITGroup3} takes every *IT that the other groups do not name: a new class runs there
 * without being listed.
 */
package co.soukosync.groups;
