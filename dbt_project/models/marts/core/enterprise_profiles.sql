-- marts.enterprise_profiles: every profile year of every enterprise (no personal data).
select
    uscc, profile_year, enterprise_name, division_code, region_code, region_name, industry_code, division_2d,
    division_name, section_code, section_name, is_industrial, size_group, founded_on,
    coalesce(is_above_scale, false) as is_above_scale, is_above_scale is null as is_above_scale_unreported,
    current_title, title_year, title_valid_until, title_status, valid_title, niche_market, niche_since_year, main_product, product_domains, cluster, chain,
    feature_awards, niche_share_pct / 100.0 as niche_share, digital_level, quality_items,
    ip_class1, ip_class1_self, ip_class1_high_value, ip_class2, rd_institution_level, rd_staff, direct_pass,
    size_basis_year, size_employees, size_revenue, size_total_assets, size_class_computed
from {{ ref('int_tiers__profiles_enriched') }}
