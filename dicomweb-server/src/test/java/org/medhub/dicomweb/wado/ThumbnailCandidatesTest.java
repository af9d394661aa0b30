package org.medhub.dicomweb.wado;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.index.IndexedInstance;

/** The order in which a thumbnail tries instances: the middle of the first series, outwards, then the rest. */
class ThumbnailCandidatesTest {

    @Test
    void theMiddleOfTheFirstSeriesComesFirstThenItsNeighboursThenTheOtherSeries() {
        List<IndexedInstance> instances = List.of(instance("a", "1"), instance("a", "2"), instance("a", "3"),
                instance("a", "4"), instance("a", "5"), instance("b", "6"), instance("b", "7"));
        assertThat(RenderedController.representatives(instances)).extracting(IndexedInstance::sopInstanceUid)
                .containsExactly("3", "4", "2", "5", "1", "6", "7");
    }

    @Test
    void anEvenSeriesStartsAtItsUpperMiddleAndALoneInstanceIsItself() {
        List<IndexedInstance> four = List.of(instance("a", "1"), instance("a", "2"), instance("a", "3"), instance("a", "4"));
        assertThat(RenderedController.representatives(four)).extracting(IndexedInstance::sopInstanceUid)
                .containsExactly("3", "4", "2", "1");
        assertThat(RenderedController.representatives(List.of(instance("a", "1")))).extracting(IndexedInstance::sopInstanceUid)
                .containsExactly("1");
    }

    private static IndexedInstance instance(String series, String sop) {
        return new IndexedInstance("study", series, sop, "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1", sop, sop, 1, null, null);
    }
}
