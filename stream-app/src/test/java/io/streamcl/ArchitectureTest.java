package io.streamcl;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * The rules of the house (DESIGN.md), checked on the compiled main classes: data flows one way
 * through the packages, Kafka knows nothing of the maths and the maths nothing of Kafka. Rules are
 * methods, not fields, so that surefire's {@code -Dtest=ArchitectureTest} filter runs them.
 */
@AnalyzeClasses(packages = "io.streamcl", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    void learnKnowsNoKafka(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.streamcl.learn..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.streamcl.topology..")
                .because("training is the same maths whether items come from a topic, a file or a test")
                .check(classes);
    }

    @ArchTest
    void augmentKnowsNoDjl(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.streamcl.augment..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "org.apache.kafka..")
                .because("augmentations are plain, seeded Java, testable without an engine or a broker")
                .check(classes);
    }

    @ArchTest
    void ingestKnowsNoModels(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.streamcl.ingest..")
                .should().dependOnClassesThat(resideInAnyPackage("ai.djl..", "io.streamcl.learn..", "io.streamcl.augment..")
                        .and(not(resideInAPackage("ai.djl.huggingface.tokenizers.."))))
                .because("readers and decoders turn bytes into items, and augmenting and learning come after them;"
                        + " a tokenizer is part of reading text")
                .check(classes);
    }

    @ArchTest
    void topologyDoesNoMaths(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.streamcl.topology..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "io.streamcl.eval..")
                .because("processors route records and keep state; tensors and similarities live in learn and eval")
                .check(classes);
    }

    @ArchTest
    void evalKnowsNoDjl(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.streamcl.eval..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "io.streamcl.learn..",
                        "org.apache.kafka..")
                .because("evaluation scores vectors, whoever made them: an exported feed or a baseline")
                .check(classes);
    }

    @ArchTest
    void indexKnowsNoKafka(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.streamcl.index..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.streamcl.topology..",
                        "io.streamcl.serve..", "io.javalin..")
                .because("nearest neighbours are the same maths whether the vectors come from a topic, a file or a test")
                .check(classes);
    }

    @ArchTest
    void nothingImportsTheCli(JavaClasses classes) {
        noClasses().that().resideOutsideOfPackage("io.streamcl.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.streamcl.cli..")
                .because("the commands are the outermost layer: they compose the rest")
                .check(classes);
    }

    @ArchTest
    void onlyTheCommandsAndTheBenchUseServe(JavaClasses classes) {
        noClasses().that().resideOutsideOfPackages("io.streamcl.cli..", "io.streamcl.serve..", "io.streamcl.bench..")
                .should().dependOnClassesThat().resideInAPackage("io.streamcl.serve..")
                .because("serving is the last step of the flow: it reads what the topology made, and only the"
                        + " commands start it (and the bench, which times what they start)")
                .check(classes);
    }

    @ArchTest
    void noPackageCycles(JavaClasses classes) {
        slices().matching("io.streamcl.(*)..").should().beFreeOfCycles().check(classes);
    }
}
