package dev.nndl.conformance;

import java.io.Writer;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes conformance reports as JUnit XML, the format CI servers read: one {@code testsuite} per
 * backend, one {@code testcase} per operation and direction. A failure carries its first failing
 * case and the options that rerun it; a delegated or declined operation, and a backend that could
 * not start, are {@code skipped} with the reason, never passed.
 */
public final class ConformanceJUnitXml {

    private ConformanceJUnitXml() {}

    public static void write(Writer out, List<Conformance.Report> reports) throws XMLStreamException {
        XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeCharacters("\n");
        xml.writeStartElement("testsuites");
        xml.writeAttribute("name", "nndl conform");
        for (Conformance.Report report : reports) suite(xml, report);
        xml.writeCharacters("\n");
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndDocument();
        xml.flush();
    }

    private static void suite(XMLStreamWriter xml, Conformance.Report report) throws XMLStreamException {
        String name = "nndl.conform." + report.backend();
        boolean ran = report.skipped() == null;
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", name);
        xml.writeAttribute("tests", String.valueOf(ran ? report.results().size() : 1));
        xml.writeAttribute("failures", String.valueOf(report.count(Conformance.Verdict.FAIL)));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", String.valueOf(ran ? report.count(Conformance.Verdict.DELEGATED) + report.count(Conformance.Verdict.SKIPPED) : 1));
        xml.writeAttribute("time", seconds(report.results().stream().mapToDouble(Conformance.OpResult::seconds).sum()));
        xml.writeCharacters("\n    ");
        xml.writeStartElement("properties");
        property(xml, "device", report.device());
        property(xml, "threads", String.valueOf(report.threads()));
        xml.writeEndElement();
        if (!ran) {
            testcase(xml, name, "*", 0);
            xml.writeEmptyElement("skipped");
            xml.writeAttribute("message", report.skipped());
            xml.writeEndElement();
        }
        for (Conformance.OpResult r : report.results()) {
            testcase(xml, name, r.op() + " " + r.direction(), r.seconds());
            switch (r.verdict()) {
                case PASS -> {}
                case FAIL -> {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("message", r.failed() + " of " + r.cases() + " cases failed (tolerance: " + r.tolerance() + ")");
                    String rerun = r.rerunLine("nndl", "--backend " + report.backend());
                    xml.writeCharacters(r.firstFailure() + (rerun.isEmpty() ? "" : "\n" + rerun));
                    xml.writeEndElement();
                }
                case DELEGATED, SKIPPED -> {
                    xml.writeEmptyElement("skipped");
                    xml.writeAttribute("message", r.verdict().label() + ": " + r.firstFailure());
                }
            }
            xml.writeEndElement();
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    private static void testcase(XMLStreamWriter xml, String suite, String name, double seconds) throws XMLStreamException {
        xml.writeCharacters("\n    ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", suite);
        xml.writeAttribute("name", name);
        xml.writeAttribute("time", seconds(seconds));
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", value);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
