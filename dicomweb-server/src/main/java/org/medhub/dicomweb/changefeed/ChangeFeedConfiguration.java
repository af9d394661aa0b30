package org.medhub.dicomweb.changefeed;

import org.medhub.dicomweb.index.DicomIndex;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The change feed the index writes, and its endpoint. */
@Configuration(proxyBeanMethods = false)
@Import(ChangeFeedController.class)
public class ChangeFeedConfiguration {

    @Bean
    ChangeFeed changeFeed(DicomIndex index) {
        return new ChangeFeed(index);
    }
}
