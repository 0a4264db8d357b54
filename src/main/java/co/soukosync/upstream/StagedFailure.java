package co.soukosync.upstream;

/** A failure that knows which stage of the run it belongs to, whatever stage the run was in. */
public interface StagedFailure {

    String stage();
}
