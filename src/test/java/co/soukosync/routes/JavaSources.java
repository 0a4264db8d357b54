package co.soukosync.routes;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The main Java classes of a source tree, read as text (so that an old commit reads as well as this one): each
 * top-level class with its package, file and Javadoc, the beans it declares ({@code @Component} and its kind, with
 * or without a name; {@code @Bean} methods), the SQL files it reads ({@code SqlFiles.read("x.sql")}), the classes of
 * ours it names, and the exchange variables its methods take ({@code @Variable("run") SyncRun run}).
 */
final class JavaSources {

    /** A top-level class of the main sources. */
    record JavaClass(String name, String pkg, Path file, String text, String javadoc) {
        String qualified() {
            return pkg + "." + name;
        }
    }

    /** A bean by name: the class that declares it, and the type it is ({@code @Bean}: the method's return type). */
    record Bean(String name, JavaClass declaredBy, String type, String method) {
    }

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern COMPONENT = Pattern.compile(
            "@(Component|Service|Repository|Configuration|RestController|Controller|SpringBootApplication)\\b(?:\\(\\s*(?:value\\s*=\\s*)?\"([^\"]+)\"\\s*\\))?");
    /** After a component annotation: its arguments, further annotations and modifiers, then the class. */
    private static final Pattern DECLARATION = Pattern.compile(
            "(?:\\([^()]*(?:\\([^()]*\\)[^()]*)*\\))?\\s*(?:@[\\w.]+(?:\\([^()]*(?:\\([^()]*\\)[^()]*)*\\))?\\s*)*"
                    + "(?:public\\s+|protected\\s+|private\\s+|static\\s+|final\\s+|abstract\\s+)*(?:class|record)\\s+(\\w+)");
    private static final Pattern BEAN_METHOD = Pattern.compile(
            "@Bean\\b(?:\\(([^)]*)\\))?\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*(?:public\\s+|protected\\s+|static\\s+)*([\\w.<>?, ]+?)\\s+(\\w+)\\s*\\(");
    private static final Pattern BEAN_NAME = Pattern.compile("(?:^|name\\s*=\\s*|value\\s*=\\s*)\\{?\\s*\"([^\"]+)\"");
    private static final Pattern SQL_FILE = Pattern.compile("\"(?:sql/)?([\\w-]+\\.sql)\"");
    private static final Pattern VARIABLE = Pattern.compile("@Variable\\(\"(\\w+)\"\\)\\s+(?:final\\s+)?([\\w.]+)");

    private final Map<String, JavaClass> classes = new TreeMap<>();
    private final Map<String, Bean> beans = new TreeMap<>();

    private JavaSources() {
    }

    /** The classes under {@code root}/src/main/java. */
    static JavaSources of(Path root) {
        JavaSources sources = new JavaSources();
        for (Path file : RouteGraph.javaFiles(root.resolve("src/main/java"))) {
            sources.read(file);
        }
        return sources;
    }

    private void read(Path file) {
        String text = RouteReferences.readString(file);
        Matcher pkg = PACKAGE.matcher(text);
        String name = file.getFileName().toString().replaceFirst("\\.java$", "");
        Matcher type = Pattern.compile("\\b(?:class|record|interface|enum)\\s+" + name + "\\b").matcher(text);
        String javadoc = null;
        if (type.find()) {
            // what stands between the imports and the declaration: the class's Javadoc, its annotations
            Matcher imports = Pattern.compile("^(?:package|import)\\s[^;]+;", Pattern.MULTILINE).matcher(text);
            int header = 0;
            while (imports.find() && imports.end() < type.start()) {
                header = imports.end();
            }
            String head = text.substring(header, type.start());
            int open = head.lastIndexOf("/**");
            int close = open < 0 ? -1 : head.indexOf("*/", open);
            if (close > 0) {
                javadoc = head.substring(open + 3, close).replaceAll("(?m)^\\s*\\*\\s?", "").strip();
            }
        }
        JavaClass java = new JavaClass(name, pkg.find() ? pkg.group(1) : "", file, text, javadoc);
        classes.put(java.qualified(), java);
        // every class of the file annotated as a component, nested ones too (UpstreamConfig.Demo is the bean
        // "upstreamConfig.Demo", as Spring names it)
        Matcher component = COMPONENT.matcher(text);
        while (component.find()) {
            Matcher declared = DECLARATION.matcher(text).region(component.end(), text.length());
            if (!declared.lookingAt()) {
                continue;
            }
            String declaredName = declared.group(1);
            String bean = component.group(2) != null ? component.group(2)
                    : declaredName.equals(name) ? decapitalize(name) : decapitalize(name) + "." + declaredName;
            beans.put(bean, new Bean(bean, java, declaredName.equals(name) ? java.qualified() : java.qualified() + "$" + declaredName, null));
        }
        Matcher bean = BEAN_METHOD.matcher(text);
        while (bean.find()) {
            String declared = bean.group(1) == null ? "" : bean.group(1);
            Matcher named = BEAN_NAME.matcher(declared.strip());
            String beanName = named.find() ? named.group(1) : bean.group(3);
            String returned = bean.group(2).strip().replaceFirst("<.*$", "");
            beans.putIfAbsent(beanName, new Bean(beanName, java, returned, bean.group(3)));
        }
    }

    Map<String, JavaClass> classes() {
        return classes;
    }

    Map<String, Bean> beans() {
        return beans;
    }

    /** A class of ours by its simple or qualified name (nested classes: their top-level class). */
    JavaClass find(String name) {
        String top = name.replaceFirst("\\$.*$", "");
        JavaClass exact = classes.get(top);
        if (exact != null) {
            return exact;
        }
        String simple = top.substring(top.lastIndexOf('.') + 1);
        return classes.values().stream().filter(c -> c.name().equals(simple)).findFirst().orElse(null);
    }

    /** The class of ours that a bean is (its {@code @Bean} method's return type when that is ours, else its declarer). */
    JavaClass classOf(Bean bean) {
        JavaClass type = find(bean.type());
        return type != null ? type : bean.declaredBy();
    }

    /** The SQL files a class reads itself ({@code SqlFiles.read("x.sql")} and the like). */
    static Set<String> sqlFiles(JavaClass java) {
        Set<String> files = new LinkedHashSet<>();
        Matcher m = SQL_FILE.matcher(java.text());
        while (m.find()) {
            files.add("sql/" + m.group(1));
        }
        return files;
    }

    /** The exchange variables the class's methods take, with the type each is taken as. */
    static Map<String, String> variables(JavaClass java) {
        Map<String, String> variables = new TreeMap<>();
        Matcher m = VARIABLE.matcher(java.text());
        while (m.find()) {
            variables.putIfAbsent(m.group(1), m.group(2));
        }
        return variables;
    }

    /** The classes of ours that a class names in its code (comments aside): by simple name, in its package or imported. */
    Set<JavaClass> references(JavaClass java) {
        String code = java.text().replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
        Set<JavaClass> named = new LinkedHashSet<>();
        for (JavaClass other : classes.values()) {
            if (other != java && Pattern.compile("\\b" + other.name() + "\\b").matcher(code).find()
                    && (other.pkg().equals(java.pkg()) || code.contains("import " + other.qualified() + ";")
                            || code.contains(other.qualified()))) {
                named.add(other);
            }
        }
        return named;
    }

    /** The first sentence of the class's Javadoc, or null. */
    static String summary(JavaClass java) {
        return java.javadoc() == null ? null : Sentences.first(java.javadoc());
    }

    static String decapitalize(String name) {
        if (name.length() > 1 && Character.isUpperCase(name.charAt(1)) && Character.isUpperCase(name.charAt(0))) {
            return name;
        }
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    static List<String> packages(JavaSources sources) {
        return sources.classes.values().stream().map(JavaClass::pkg).distinct().sorted().toList();
    }
}
