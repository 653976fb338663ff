// EPUBCheck on several EPUBs in one Java process (a JVM per book costs seconds): each argument is an
// EPUB whose JSON report is written beside it, named as `epubcheck_messages` reads it.
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckBatch {
    public static void main(String[] paths) {
        for (String path : paths) {
            String report = path.replaceFirst("\\.epub$", "") + ".epubcheck.json";
            new EpubChecker().run(new String[] {path, "--json", report});
        }
    }
}
