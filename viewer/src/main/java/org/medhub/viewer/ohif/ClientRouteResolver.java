package org.medhub.viewer.ohif;

import java.io.IOException;
import org.springframework.core.io.Resource;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * OHIF is a single-page app: {@code /viewer/viewer?StudyInstanceUIDs=...} or {@code /viewer/callback}
 * are routes of its router, not files. A path without a file extension that names no file gets
 * {@code index.html}; a missing file with an extension stays a 404, so a broken asset is not hidden
 * behind an HTML page.
 */
final class ClientRouteResolver extends PathResourceResolver {

    private static final String INDEX = "index.html";

    @Override
    protected Resource getResource(String resourcePath, Resource location) throws IOException {
        Resource file = super.getResource(resourcePath, location);
        if (file != null) {
            return file;
        }
        String lastSegment = resourcePath.substring(resourcePath.lastIndexOf('/') + 1);
        return lastSegment.contains(".") ? null : super.getResource(INDEX, location);
    }
}
