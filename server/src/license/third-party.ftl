<#-- FreeMarker template of medhub.jar's META-INF/THIRD-PARTY.txt (license-maven-plugin add-third-party).
     dependencyMap: each shipped Maven library with the licences its POM (or the override file) names. -->
MedHub: third-party software shipped in medhub.jar
==================================================

MedHub is licensed under the Apache License 2.0 (LICENSE). medhub.jar contains the
${dependencyMap?size + 2} libraries below, each under the licence(s) named in parentheses; where
a library names two, the parts it holds are under either (see its own notices).
The CycloneDX bill of materials of the same build is server/target/bom.json.

Libraries from Maven Central
----------------------------
<#list dependencyMap as entry>
<#assign library = entry.getKey()/>
<#assign names = ""/>
<#list entry.getValue() as licence><#assign names = names + "(" + licence + ") "/></#list>
<#assign title = library.artifactId/>
<#if library.name?? && library.name != "null"><#assign title = library.name/></#if>
  ${names}${title} (${library.groupId}:${library.artifactId}:${library.version}<#if library.url??> - ${library.url}</#if>)
</#list>

Libraries from Debian, packed in from /usr/share/java (system scope)
---------------------------------------------------------------------
  (BSD-3-Clause) PixelMed Java DICOM Toolkit (com.pixelmed:pixelmed:20220618, Debian libpixelmed-java) - Copyright David A. Clunie DBA PixelMed Publishing
  (BSD-3-Clause) PixelMed JPEG lossless codec (com.pixelmed:pixelmed-imageio:20200328, Debian libpixelmed-imageio-java) - Copyright David A. Clunie DBA PixelMed Publishing

Not an OSI-approved licence: JJ2000
-----------------------------------
  The JPEG 2000 codec inside com.github.jai-imageio:jai-imageio-jpeg2000 is under the JJ2000
  licence: use and redistribution are allowed in products conforming to JPEG 2000 Part 1, and
  the licence warns that JPEG 2000 may be covered by patents. It is not GPL-compatible.
