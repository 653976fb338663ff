// EPUBCheck on many EPUBs in one Java process (a JVM per book costs seconds). Each EPUB path given as
// an argument, then each line read from standard input, is checked and its JSON report written beside
// it (named as `epubcheck_reports` reads it); after each, "checked <path>" is printed on standard
// output, which EPUBCheck's own messages never reach (they go to standard error).
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckBatch {
    public static void main(String[] paths) throws Exception {
        PrintStream answers = System.out;
        System.setOut(System.err);
        for (String path : paths) {
            check(path, answers);
        }
        if (paths.length > 0) {
            return;
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String path = lines.readLine(); path != null; path = lines.readLine()) {
            check(path, answers);
        }
    }

    static void check(String path, PrintStream answers) {
        String report = path.replaceFirst("\\.epub$", "") + ".epubcheck.json";
        new EpubChecker().run(new String[] {path, "--json", report});
        answers.println("checked " + path);
        answers.flush();
    }
}
