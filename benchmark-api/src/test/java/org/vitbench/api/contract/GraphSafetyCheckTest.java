package org.vitbench.api.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitbench.api.GraphConstants;

class GraphSafetyCheckTest {

    /** Compiled into this module's test classes so that the check has something to find. */
    static final class Offender {
        static NDArray scale(NDArray x, double factor) {
            return x.mul(factor).add(NDArrays.div(x, 2)).scaleGradient(0.5);
        }

        static NDArray fine(NDArray x) {
            return GraphConstants.mul(x, 0.5).add(1).sub(2f).gt(0);
        }
    }

    @Test
    void findsRawScalarCallsWhateverTheOperandExpression() throws Exception {
        Path testClasses = Path.of(Offender.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> found = GraphSafetyCheck.violations(testClasses).stream()
                .filter(v -> v.startsWith(Offender.class.getName() + " ")).toList();
        assertEquals(List.of(
                Offender.class.getName() + " calls NDArray.mul(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;",
                Offender.class.getName() + " calls NDArray.scaleGradient(D)Lai/djl/ndarray/NDArray;",
                Offender.class.getName() + " calls NDArrays.div(Lai/djl/ndarray/NDArray;Ljava/lang/Number;)"
                        + "Lai/djl/ndarray/NDArray;"), found);
        AssertionError e = assertThrows(AssertionError.class, () -> GraphSafetyCheck.assertClean(Offender.class));
        assertTrue(e.getMessage().contains("GraphConstants"), e.getMessage());
    }

    @Test
    void addSubAndComparisonsWithNumbersAreAllowed() {
        assertFalse(GraphSafetyCheck.banned("ai/djl/ndarray/NDArray", "add", "(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;"));
        assertFalse(GraphSafetyCheck.banned("ai/djl/ndarray/NDArray", "gt", "(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;"));
        assertFalse(GraphSafetyCheck.banned("ai/djl/ndarray/NDArray", "mul", "(Lai/djl/ndarray/NDArray;)Lai/djl/ndarray/NDArray;"));
        assertTrue(GraphSafetyCheck.banned("ai/djl/pytorch/engine/PtNDArray", "pow", "(Ljava/lang/Number;)Lai/djl/pytorch/engine/PtNDArray;"));
        assertTrue(GraphSafetyCheck.banned("ai/djl/nn/Activation", "relu6", "(Lai/djl/ndarray/NDArray;)Lai/djl/ndarray/NDArray;"));
    }

    @Test
    void theApiItselfIsClean() {
        GraphSafetyCheck.assertClean(GraphConstants.class);
    }
}
