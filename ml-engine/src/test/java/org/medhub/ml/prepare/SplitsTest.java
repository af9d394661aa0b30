package org.medhub.ml.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {

    private static final boolean[] OUTCOMES = new boolean[100];

    static {
        for (int i = 0; i < 100; i++) {
            OUTCOMES[i] = i % 5 == 0;
        }
    }

    @Test
    void trainTestSplitKeepsClassBalanceAndIsRepeatableWithTheSeed() {
        Splits.TrainTest split = Splits.trainTest(OUTCOMES, 0.25, 42);

        assertThat(split.test()).hasSize(25);
        assertThat(IntStream.of(split.test()).filter(r -> OUTCOMES[r]).count()).isEqualTo(5);
        assertThat(Splits.trainTest(OUTCOMES, 0.25, 42).test()).isEqualTo(split.test());
        assertThat(Splits.trainTest(OUTCOMES, 0.25, 43).test()).isNotEqualTo(split.test());
        assertThat(IntStream.concat(IntStream.of(split.train()), IntStream.of(split.test())).sorted().toArray())
                .isEqualTo(IntStream.range(0, 100).toArray());
    }

    @Test
    void foldsPartitionTheRowsWithPositivesInEachFold() {
        int[] rows = IntStream.range(0, 100).toArray();
        List<int[]> folds = Splits.folds(OUTCOMES, rows, 5, 1);

        assertThat(folds).hasSize(5);
        assertThat(folds.stream().flatMapToInt(Arrays::stream).sorted().toArray()).isEqualTo(rows);
        folds.forEach(fold -> assertThat(IntStream.of(fold).filter(r -> OUTCOMES[r]).count()).isEqualTo(4));
        assertThat(Splits.without(rows, folds.get(0))).hasSize(80);
    }
}
