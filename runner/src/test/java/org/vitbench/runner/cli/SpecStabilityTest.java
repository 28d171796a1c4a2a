package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;

/**
 * Stored results, resume, merge and baselines rest on the canonical method spec and the metric spec
 * hash. {@code spec-stability.tsv} holds, for every registered method and metric, the canonical form
 * of specs as users write them (defaults, every preset, values spelt unusually), recorded before the
 * parameter declarations replaced hand-written parsing. A change to a plug-in's parameters that
 * alters any of them invalidates users' stored results and fails here.
 *
 * <p>To add rows for a new plug-in, append {@code kind<TAB>spec} lines to {@link #EXTRA} and run
 * with {@code -Dvitbench.writeSpecFixture=PATH}; never regenerate the existing rows.
 */
class SpecStabilityTest {

    /** Given specs beyond each plug-in's defaults and presets. */
    private static final List<String> EXTRA = List.of(
            "method\tattention-rollout:discardRatio=0.90,headFusion=max,residual=false,startLayer=1",
            "method\tgeneric-attention:startLayer=1",
            "method\tgradcam:scale=false",
            "method\tgradcam-attn:scale=true",
            "method\tgradcam-plus-plus:scale=false",
            "method\tscorecam:scale=false,batchSize=4",
            "method\tgradient-input:aggregation=sum,batchSize=4",
            "method\tgradient-shap:samples=20,stdevs=0.1,baseline=mean",
            "method\thsic:designs=0100,grid=4,sampler=sobol,output=logit,removal=pixel-zero,batchSize=3",
            "method\tintegrated-gradients:steps=20,baseline=zero,method=riemann-trapezoid,aggregation=sum,batchSize=50",
            "method\tkernel-shap:budget=0064,subsets=4,threshold=.50,paired=FALSE,varianceBatches=3",
            "method\tkernel-shap:preset=vit-shapley,budget=2048",
            "method\tkernel-shap:removal=pixel-mean,output=logit,estimator=unbiased,batchSize=8",
            "method\tleave-one-out:output=logit,removal=attention-mask,batchSize=2",
            "method\tlegrad:layers=all,readout=cls",
            "method\tlegrad:layers= -1 ,readout=final",
            "method\tlime:alpha=0.1,kernelWidth=0.5,samples=200,output=logit,removal=pixel-mean,batchSize=9",
            "method\tlrp:rule=attnlrp,at=input,gelu=identity,detachMean=false",
            "method\tocclusion:window=2,stride=1,output=logit,removal=pixel-zero,batchSize=5",
            "method\traw-attention:layer=-2,headFusion=max",
            "method\trise:preset=petsiuk2018",
            "method\trise:preset=vit-shapley,masks=100",
            "method\trise:masks=100,cells=3,p=0.25,mode=pixel,baseline=zero,output=logit,batchSize=6",
            "method\trise:mode=token,removal=attention-mask",
            "method\tsaliency:abs=false,aggregation=sum,batchSize=2",
            "method\tsmoothgrad:samples=10,noise=absolute,sigma=0.2,variant=vargrad,base=integrated-gradients,base.steps=8",
            "method\tsmoothgrad:sigma=0.5,aggregation=sum",
            "method\tsobol:preset=fel2021",
            "method\tsobol:preset=xplique,grid=4",
            "method\tsobol:designs=16,estimator=saltelli,baseline=zero,scramble=false,skipOrigin=false,output=logit",
            "method\ttam:batchSize=3",
            "method\ttransformer-attribution:relevance=gradient-rules,startLayer=1",
            "method\tvit-shapley:explainer=embedded",
            "metric\tdeletion:removal=pixel-zero",
            "metric\tdeletion:preset=vit-shapley,classes=non-target",
            "metric\tdeletion:preset=chefer,reference=prediction",
            "metric\tdeletion:preset=rise,batchSize=7",
            "metric\tinsertion:preset=chefer,order=negative",
            "metric\tinsertion:preset=rise,batchSize=7,removal=pixel-blur",
            "metric\tfaithfulness:subsets=100,removal=token-drop,batchSize=3",
            "metric\tsensitivity-n:points=5,maxFraction=0.5,output=logit,subsets=10,removal=pixel-zero,batchSize=4",
            "metric\tshapley-error:budget=4096,threshold=0.01,subsets=16,classes=non-target,removal=token-drop",
            "metric\tshapley-correlation:measure=spearman,budget=2048",
            "metric\tpointing-game:tolerance=2",
            "metric\trandomization:similarity=spearman-abs,embedding=false",
            "metric\truntime:warmup=2,repeats=5",
            "metric\ttop-k-intersection:k=16,conceptInfluence=true",
            "metric\tattribution-localisation:weighted=true",
            "metric\tfaithfulness-correlation:runs=50,subsetSize=196,baseline=mean,batchSize=8",
            "metric\tmax-sensitivity:samples=20,radius=0.1,batchSize=4",
            "metric\tavg-sensitivity:preset=captum,samples=5",
            "metric\tlocal-lipschitz:samples=20,std=0.05,batchSize=4");

    @Test
    void everyRecordedSpecKeepsItsCanonicalFormAndHash() throws IOException {
        Registry registry = Registry.load();
        List<String> expected;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/spec-stability.tsv"))) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
        assertTrue(expected.size() > 60, "the fixture covers every plug-in");
        List<String> mismatches = new ArrayList<>();
        for (String row : expected) {
            String[] cells = row.split("\t");
            String actual = resolve(registry, cells[0], cells[1]);
            if (!row.equals(actual)) {
                mismatches.add("expected " + row + "\n     got " + actual);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    @EnabledIfSystemProperty(named = "vitbench.writeSpecFixture", matches = ".+")
    void writeFixture() throws IOException {
        Registry registry = Registry.load();
        List<String> rows = new ArrayList<>();
        rows.add("# kind\tgiven spec\tcanonical form (method: store key; metric: spec and hash); see SpecStabilityTest");
        registry.explainers().keySet().forEach(id -> rows.add(resolve(registry, "method", id)));
        registry.metrics().forEach((id, provider) -> provider.info().presets()
                .forEach(preset -> rows.add(resolve(registry, "metric", id + ":preset=" + preset))));
        registry.metrics().keySet().forEach(id -> rows.add(resolve(registry, "metric", id)));
        for (String extra : EXTRA) {
            String[] cells = extra.split("\t");
            rows.add(resolve(registry, cells[0], cells[1]));
        }
        Files.write(Path.of(System.getProperty("vitbench.writeSpecFixture")), rows, StandardCharsets.UTF_8);
    }

    private static String resolve(Registry registry, String kind, String given) {
        String[] id = new String[1];
        Parameters parameters = Parameters.parseSpec(given, id);
        if (kind.equals("method")) {
            var explainer = registry.explainer(id[0]).create(parameters);
            return kind + "\t" + given + "\t"
                    + MethodSpec.of(explainer.info().id(), explainer.parameters().asMap()).canonical();
        }
        MetricSpec spec = registry.metric(id[0]).create(parameters).spec();
        return kind + "\t" + given + "\t" + spec.canonical() + "\t" + spec.hash();
    }
}
